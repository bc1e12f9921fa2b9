using System.Globalization;
using Microsoft.Extensions.Logging;
using Tandem.Bus.InMemory;
using Tandem.Model.Json;
using Tandem.Model.Text;
using Tandem.Node.Configuration;
using Tandem.Node.Status;

namespace Tandem.Node.Tests.Simulation.Faults;

/// <summary>
/// One seed, one run: the seed's cluster forms and starts its resources; then a seeded random sequence of
/// faults (node crash and boot, partitions and heals with or without the arbiter, daemon kills and
/// restarts, services dying, operations failing or hanging, standby/online and target-role changes, time
/// jumps) strikes, each at a random point of the protocol (the system runs a random number of steps, or
/// settles, between faults). The invariants are checked on the ground truth after every step. Then every
/// fault is repaired, time passes, and the cluster must converge: one coordinator, nothing in flight, and
/// a scheduler that wants no further action. The seed decides everything, so it replays the run.
/// </summary>
public static class FaultSimulator
{
    /// <summary>Faults per seed: few, so that a CI run affords thousands of seeds.</summary>
    public const int FaultSteps = 6;

    /// <summary>Rounds of time after the repair in which the cluster must converge.</summary>
    public const int ConvergenceRounds = 8;

    public static SeedOutcome Run(int seed, string? stopDoesNothingFor = null, ILoggerFactory? logs = null)
    {
        var run = new SeedRun(seed, stopDoesNothingFor, logs);
        return run.Execute();
    }

    private sealed class SeedRun
    {
        private readonly int _seed;
        private readonly Random _random;
        private readonly SeedScenario _scenario;
        private readonly FaultCluster _cluster;
        private readonly List<string> _trace = [];
        private int _configChanges;

        public SeedRun(int seed, string? stopDoesNothingFor, ILoggerFactory? logs)
        {
            _seed = seed;
            _random = new Random(seed);
            _scenario = new SeedScenario((FencingMode)(((seed % 3) + 3) % 3));
            var nodes = SeedScenario.NodeNames.Select((name, i) => new InMemoryNode((uint)(i + 1), name)).ToList();
            var config = new InMemoryClusterConfig("sim", nodes) { QdeviceVotes = 1 };
            _cluster = new FaultCluster(config, seed, new FaultyAgents { StopDoesNothingFor = stopDoesNothingFor }, logs);
        }

        public SeedOutcome Execute()
        {
            try
            {
                return Simulate();
            }
            catch (LivelockException e)
            {
                return Failed(_trace.Count, e.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A daemon core that throws is a failure of the run like any broken invariant.
                return Failed(_trace.Count, $"exception: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }

        private SeedOutcome Simulate()
        {
            foreach (var node in _cluster.Nodes)
            {
                _cluster.Boot(node);
            }
            _cluster.Settle();
            ChangeConfiguration("initial configuration");
            _cluster.Settle();
            _cluster.Advance(TimeSpan.FromSeconds(10));
            _cluster.Settle();
            if (InvariantChecker.Check(_cluster) is { } atStart)
            {
                return Failed(0, atStart);
            }
            for (var step = 1; step <= FaultSteps; step++)
            {
                _cluster.Agents.Log.Clear();
                _trace.Add($"{step}. {InjectFault()}");
                if (_random.Next(2) == 0)
                {
                    _cluster.Settle();
                }
                else
                {
                    _cluster.Pump(_random.Next(40));
                }
                if (InvariantChecker.Check(_cluster) is { } violation)
                {
                    return Failed(step, violation);
                }
            }
            _cluster.Agents.Log.Clear();
            _trace.Add($"{FaultSteps + 1}. repair: heal, arbiter reachable, every node and daemon up, no more agent faults; the operator cleans up failures; time passes");
            Repair();
            string? notConverged = null;
            for (var round = 0; round < ConvergenceRounds; round++)
            {
                _cluster.Settle();
                if (InvariantChecker.Check(_cluster) is { } violation)
                {
                    return Failed(FaultSteps + 1, violation);
                }
                if (round == 1)
                {
                    // A failed stop without fencing blocks its resource until an operator looks (as in Pacemaker):
                    // after an incident the operator runs tandem resource cleanup, and the cluster probes again.
                    // Once time has passed: operations that hung meanwhile have ended (timeouts are 20 s).
                    CleanUp();
                    _cluster.Settle();
                    if (InvariantChecker.Check(_cluster) is { } afterCleanup)
                    {
                        return Failed(FaultSteps + 1, afterCleanup);
                    }
                }
                // Time must pass at least once: hung operations end and monitors look again.
                notConverged = round == 0 ? "not converged" : Convergence.Check(_cluster);
                if (notConverged is null)
                {
                    return new SeedOutcome(_seed, _scenario.Fencing, null, 0, _trace, []) { Steps = _cluster.Steps, Transitions = _cluster.Transitions, WritesLostApart = [.. _cluster.Agents.WritesLostApart] };
                }
                _cluster.Advance(TimeSpan.FromSeconds(30));
            }
            return Failed(FaultSteps + 1, notConverged!);
        }

        private SeedOutcome Failed(int step, string violation) =>
            new(_seed, _scenario.Fencing, violation, step, _trace, [.. _cluster.Agents.Log.TakeLast(200), .. GroundTruth()]) { Steps = _cluster.Steps, Transitions = _cluster.Transitions, WritesLostApart = [.. _cluster.Agents.WritesLostApart] };

        private IEnumerable<string> GroundTruth()
        {
            var active = _cluster.Agents.Active.Select(a => $"{a.Resource} {a.Role} on {_cluster.Name(a.Node)}").ToList();
            yield return "ground truth: " + (active.Count == 0 ? "nothing runs" : string.Join(", ", active));
            yield return "network: " + string.Join(" | ", _cluster.Network.Partitions.Select(p => string.Join(",", p.Select(_cluster.Name))))
                + "; daemons on " + string.Join(",", _cluster.Daemons.Select(_cluster.Name));
        }

        private string InjectFault()
        {
            var nodes = _cluster.Nodes.ToList();
            var node = nodes[_random.Next(nodes.Count)];
            var name = _cluster.Name(node);
            var up = _cluster.Network.NodeState(node) == SimulatedNodeState.Up;
            switch (_random.Next(12))
            {
                case 0 when up:
                    _cluster.Crash(node);
                    return $"crash {name}";
                case 0 or 1 when !up:
                    _cluster.Boot(node);
                    return $"boot {name}";
                case 1 when up && !_cluster.HasDaemon(node):
                    _cluster.StartDaemon(node);
                    return $"restart the daemon on {name}";
                case 1 when up && _scenario.Fencing == FencingMode.Device:
                    _cluster.KillDaemon(node);
                    return $"kill the daemon on {name}";
                case 1 when up:
                    // Without a power device, what a dead daemon left running is stopped by nobody if the network
                    // splits now; a hardware watchdog would reset the node, here its supervisor restarts it at once.
                    _cluster.KillDaemon(node);
                    _cluster.Pump(_random.Next(40));
                    _cluster.StartDaemon(node);
                    return $"kill the daemon on {name}; its supervisor restarts it";
                case 2 or 3 or 4 when _scenario.Fencing == FencingMode.Off:
                    // Without fencing a split is unsafe by design (the quorate side recovers at once, the other
                    // may not have stopped yet), as Pacemaker warns; the network holds in this mode.
                    return Jump();
                case 2 or 3:
                    if (_cluster.Network.Partitions.Count > 1 || _random.Next(3) == 0)
                    {
                        _cluster.Network.Heal();
                        return "heal the network";
                    }
                    var arbiter = _random.Next(4);
                    foreach (var n in nodes)
                    {
                        // 0: both reach the arbiter, 1/2: only that node does, 3: neither.
                        _cluster.Network.SetArbiterReachable(n, arbiter == 0 || arbiter == n);
                    }
                    _cluster.Network.Partition([.. nodes.Select(n => (IEnumerable<uint>)new[] { n })]);
                    return $"partition {string.Join(" | ", nodes.Select(_cluster.Name))}, arbiter reached by {arbiter switch { 0 => "both", 3 => "neither", _ => _cluster.Name((uint)arbiter) }}";
                case 4:
                    var reachable = _random.Next(2) == 0;
                    _cluster.Network.SetArbiterReachable(node, reachable);
                    return $"{name} {(reachable ? "reaches" : "loses")} the arbiter";
                case 5:
                    var running = _cluster.Agents.Active.Where(a => a.Node == node).ToList();
                    if (running.Count == 0)
                    {
                        return Jump();
                    }
                    var victim = running[_random.Next(running.Count)].Resource;
                    _cluster.Agents.Kill(node, victim);
                    return $"{victim} dies on {name}";
                case 6 or 7:
                    string[] resources = ["vip", "service", SeedScenario.Volume];
                    string[] tasks = ["start", "stop", "promote", "demote", "monitor"];
                    var resource = resources[_random.Next(resources.Length)];
                    var task = tasks[_random.Next(resource == SeedScenario.Volume ? tasks.Length : 3) switch { 2 => 4, var t => t }];
                    var fault = new AgentFault(Hangs: _random.Next(2) == 0, LeavesRunning: _random.Next(2) == 0);
                    _cluster.Agents.Inject(node, resource, task, fault);
                    return $"the next {resource} {task} on {name} {(fault.Hangs ? "hangs" : "fails")}{(fault.LeavesRunning && task is "start" or "promote" ? " (but does its work)" : "")}";
                case 8 when _cluster.Daemons.Any():
                    if (!_scenario.Standby.Remove(name))
                    {
                        _scenario.Standby.Add(name);
                        return ChangeConfiguration($"standby {name}");
                    }
                    return ChangeConfiguration($"online {name}");
                case 9 when _cluster.Daemons.Any():
                    _scenario.AppStopped = !_scenario.AppStopped;
                    return ChangeConfiguration($"target-role of app {(_scenario.AppStopped ? "Stopped" : "Started")}");
            }
            return Jump();
        }

        private string Jump()
        {
            var seconds = 1 + _random.Next(90);
            _cluster.Advance(TimeSpan.FromSeconds(seconds));
            return $"{seconds} s pass";
        }

        /// <summary>The operator changes the configuration through one daemon (it may lose a race, as with the API).</summary>
        private string ChangeConfiguration(string description)
        {
            var daemons = _cluster.Daemons.ToList();
            var via = daemons[_random.Next(daemons.Count)];
            var store = _cluster.Core(via).Config;
            var document = ConfigJson.Serialize(TextParser.Parse(_scenario.Text()));
            var id = string.Create(CultureInfo.InvariantCulture, $"sim-{_seed}-{++_configChanges}");
            _cluster.Send(via, new ConfigChange(id, store.Stamp.Version, document, description));
            return $"{description} (through {_cluster.Name(via)})";
        }

        /// <summary><c>tandem resource cleanup</c> through one daemon, as the local API runs it.</summary>
        private void CleanUp()
        {
            var daemons = _cluster.Daemons.ToList();
            if (daemons.Count == 0)
            {
                return;
            }
            var via = daemons[_random.Next(daemons.Count)];
            var core = _cluster.Core(via);
            var plan = FailureCleanup.Plan(core.Config.Configuration, core.Status.Nodes, core.KnownNodes.Values, null, null);
            foreach (var update in plan.Updates)
            {
                _cluster.Send(via, update);
            }
        }

        private void Repair()
        {
            _cluster.Agents.ClearFaults();
            _cluster.Network.Heal();
            foreach (var node in _cluster.Nodes)
            {
                _cluster.Network.SetArbiterReachable(node, true);
                if (_cluster.Network.NodeState(node) != SimulatedNodeState.Up)
                {
                    _cluster.Boot(node);
                }
                else if (!_cluster.HasDaemon(node))
                {
                    _cluster.StartDaemon(node);
                }
            }
        }
    }
}
