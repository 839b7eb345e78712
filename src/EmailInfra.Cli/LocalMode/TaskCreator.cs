using DurableTask.Core;

namespace EmailInfra.Cli.LocalMode;

/// <summary>Makes a fresh orchestration or activity shim per execution, under the name the orchestrator calls it by.</summary>
internal sealed class TaskCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> create;

    public TaskCreator(string name, Func<T> create)
    {
        Name = name;
        Version = string.Empty;
        this.create = create;
    }

    public override T Create() => create();
}
