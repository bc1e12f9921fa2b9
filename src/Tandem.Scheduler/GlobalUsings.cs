// The working-set types share names with the configuration model's; inside the scheduler the
// working-set meaning wins.
global using Resource = Tandem.Scheduler.Working.Resource;
global using OnFail = Tandem.Scheduler.Working.OnFail;
global using Node = Tandem.Scheduler.Working.Node;
global using NoQuorumPolicy = Tandem.Scheduler.Working.NoQuorumPolicy;
global using LocationConstraint = Tandem.Scheduler.Working.LocationConstraint;
