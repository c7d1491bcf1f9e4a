namespace Notifier.Intake;

/// <summary>Why a spam sample names no suspected relay.</summary>
public enum SampleProblem
{
    /// <summary>Larger than <c>Intake:MaxSampleBytes</c>.</summary>
    TooLarge,

    /// <summary>No bytes, or only white space.</summary>
    Empty,

    /// <summary>Not an e-mail message, or the Received header where the walk stops names no connecting IP address.</summary>
    Malformed,

    /// <summary>No Received header at all: nothing records where the message came from.</summary>
    NoReceivedHeaders,

    /// <summary>Every hop was handed over by our own hosts or submitted locally: the message did not come from outside.</summary>
    AllHopsTrusted,

    /// <summary>
    /// The first untrusted hop connected from a private, loopback, link-local or reserved address: nothing public
    /// to probe, and the headers below it cannot be believed.
    /// </summary>
    PrivateAddress,
}
