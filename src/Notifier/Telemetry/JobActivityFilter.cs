using System.Diagnostics;
using System.Globalization;
using Hangfire.Server;

namespace Notifier.Telemetry;

/// <summary>
/// A span for each Hangfire job the server performs, named after the job (<c>ProbeJob.RunAsync</c>) and tagged
/// with its arguments (jobs take ids only: <c>probeId=12</c>), so a case's probe, lookup and notice jobs can be
/// found in a trace viewer by the id. Hangfire calls both methods synchronously around the job in the same
/// execution context, so the activity is <see cref="Activity.Current"/> while the job runs.
/// </summary>
public sealed class JobActivityFilter : IServerFilter
{
    private const string ItemKey = "notifier.activity";

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        var activity = NotifierActivity.Source.StartActivity($"{job.Type.Name}.{job.Method.Name}", ActivityKind.Internal);
        if (activity is null) return;
        activity.SetTag("notifier.job.id", context.BackgroundJob.Id);
        var parameters = job.Method.GetParameters();
        for (var i = 0; i < parameters.Length && i < job.Args.Count; i++)
        {
            if (job.Args[i] is null or CancellationToken) continue;
            activity.SetTag("notifier.job." + parameters[i].Name, Convert.ToString(job.Args[i], CultureInfo.InvariantCulture));
        }
        context.Items[ItemKey] = activity;
    }

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(ItemKey, out var item) || item is not Activity activity) return;
        if (context.Exception is { } e && !context.ExceptionHandled)
        {
            activity.SetStatus(ActivityStatusCode.Error, e.Message);
            activity.AddException(e);
        }
        activity.Dispose();
    }
}
