using Tandem.Agents.Execution;
using Tandem.Agents.Processes;

namespace Tandem.Agents.Tests.Execution;

public class ResultMapperTests
{
    private static ProcessExit Exit(int code, string stdout = "") =>
        ProcessExit.Exited(code, new CapturedOutput(stdout, stdout.Length, 0, null), CapturedOutput.Empty);

    [Theory]
    [InlineData(0, OperationStatus.Success, ErrorClass.None)]
    [InlineData(1, OperationStatus.Error, ErrorClass.Soft)]
    [InlineData(2, OperationStatus.Error, ErrorClass.Hard)]
    [InlineData(3, OperationStatus.Error, ErrorClass.Hard)]
    [InlineData(4, OperationStatus.Error, ErrorClass.Hard)]
    [InlineData(5, OperationStatus.Error, ErrorClass.Hard)]
    [InlineData(6, OperationStatus.Error, ErrorClass.Fatal)]
    [InlineData(7, OperationStatus.NotRunning, ErrorClass.Soft)]
    [InlineData(8, OperationStatus.Promoted, ErrorClass.Soft)]
    [InlineData(9, OperationStatus.FailedPromoted, ErrorClass.Soft)]
    [InlineData(190, OperationStatus.Degraded, ErrorClass.None)]
    [InlineData(191, OperationStatus.DegradedPromoted, ErrorClass.None)]
    [InlineData(42, OperationStatus.Error, ErrorClass.Soft)]
    public void Ocf_codes(int code, OperationStatus status, ErrorClass errorClass)
    {
        var (s, _, c) = ResultMapper.Map(AgentClass.Ocf, "monitor", Exit(code));
        Assert.Equal(status, s);
        Assert.Equal(errorClass, c);
    }

    [Theory]
    [InlineData("monitor", 0, OcfExitCode.Success)]
    [InlineData("monitor", 1, OcfExitCode.NotRunning)]
    [InlineData("monitor", 2, OcfExitCode.NotRunning)]
    [InlineData("monitor", 3, OcfExitCode.NotRunning)]
    [InlineData("monitor", 4, OcfExitCode.ErrGeneric)]
    [InlineData("start", 5, OcfExitCode.ErrInstalled)]
    [InlineData("stop", 1, OcfExitCode.ErrGeneric)]
    [InlineData("start", 150, OcfExitCode.ErrGeneric)]
    public void Lsb_codes(string action, int code, OcfExitCode expected) =>
        Assert.Equal(expected, ResultMapper.Map(AgentClass.Lsb, action, Exit(code)).ExitCode);

    [Theory]
    [InlineData("monitor", 0, "active\n", OcfExitCode.Success)]
    [InlineData("monitor", 3, "inactive\n", OcfExitCode.NotRunning)]
    [InlineData("monitor", 3, "failed\n", OcfExitCode.NotRunning)]
    [InlineData("monitor", 0, "reloading\n", OcfExitCode.Success)]
    [InlineData("start", 5, "", OcfExitCode.ErrInstalled)]
    [InlineData("start", 1, "", OcfExitCode.ErrGeneric)]
    public void Systemd_codes(string action, int code, string stdout, OcfExitCode expected) =>
        Assert.Equal(expected, ResultMapper.Map(AgentClass.Systemd, action, Exit(code, stdout)).ExitCode);

    [Theory]
    [InlineData("status", 0, OcfExitCode.Success)]
    [InlineData("status", 2, OcfExitCode.NotRunning)]
    [InlineData("status", 1, OcfExitCode.ErrGeneric)]
    [InlineData("monitor", 2, OcfExitCode.ErrGeneric)]
    public void Fence_codes(string action, int code, OcfExitCode expected) =>
        Assert.Equal(expected, ResultMapper.Map(AgentClass.Stonith, action, Exit(code)).ExitCode);

    [Fact]
    public void A_crash_is_a_soft_error()
    {
        var (status, code, errorClass) = ResultMapper.Map(AgentClass.Ocf, "start",
            ProcessExit.Killed(11, CapturedOutput.Empty, CapturedOutput.Empty));
        Assert.Equal((OperationStatus.Error, OcfExitCode.ErrGeneric, ErrorClass.Soft), (status, code, errorClass));
    }
}
