using Notifier.Tests.Hosting;

namespace Notifier.Tests.Auth;

/// <summary>
/// The service for tests that sign in many browsers from the one test client address (a sign-in limit that does not
/// interfere), and may open cases for loopback addresses (nothing leaves 127.0.0.0/8).
/// </summary>
public sealed class RolesNotifierFactory() : NotifierFactory(new Dictionary<string, string?>
{
    ["Auth:SignInPermitLimit"] = "1000",
    ["Probing:AllowPrivateTargets"] = "true",
});
