namespace Notifier.Cli;

/// <summary>Bad command-line input: printed as one line, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
