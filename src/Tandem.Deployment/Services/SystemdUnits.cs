namespace Tandem.Deployment.Services;

/// <summary>The unit files shipped in packaging/systemd/ (embedded in this assembly), with the path of the installed `tandem`.</summary>
public static class SystemdUnits
{
    public const string Daemon = "tandem.service";
    public const string Volumes = "tandem-volume.service";
    public const string ShippedPath = "/usr/local/bin/tandem";

    public static readonly IReadOnlyList<string> Names = [Volumes, Daemon];

    public static string Render(string unit, string tandemPath)
    {
        using var stream = typeof(SystemdUnits).Assembly.GetManifestResourceStream($"systemd/{unit}")
            ?? throw new InvalidOperationException($"unit {unit} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace($"ExecStart={ShippedPath} ", $"ExecStart={tandemPath} ", StringComparison.Ordinal);
    }
}
