using System.ComponentModel.DataAnnotations;

namespace Notifier.Jobs;

/// <summary>The <c>Node</c> section: what this process does when several share one server database.</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>
    /// <c>all</c> (dashboard, API and job workers; the default), <c>web</c> (dashboard and API, no Hangfire server:
    /// what it enqueues runs on the workers) or <c>worker</c> (a Hangfire server and the health endpoints only). One
    /// binary; the role is configuration. <c>Jobs:RunServer=false</c> still turns the workers off as before: a node runs
    /// workers when its role is not <c>web</c> and Jobs:RunServer is true.
    /// </summary>
    [Required, AllowedValues(NodeRole.All, NodeRole.Web, NodeRole.Worker, ErrorMessage = "Node:Role must be all, web or worker")]
    public string Role { get; set; } = NodeRole.All;
}
