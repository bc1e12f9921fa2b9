namespace Tandem.Lab;

/// <summary>A lab operation that could not be done; the message is one line that names the problem.</summary>
public sealed class LabException(string message) : Exception(message);
