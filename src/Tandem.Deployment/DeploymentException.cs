namespace Tandem.Deployment;

/// <summary>A deployment step that cannot go on; the message is one line naming the problem and, where possible, the fix.</summary>
public sealed class DeploymentException : Exception
{
    public DeploymentException(string message)
        : base(message)
    {
    }

    public DeploymentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DeploymentException()
    {
    }
}
