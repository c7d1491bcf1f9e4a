using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Notifier.Cases;
using Notifier.Contacts;

namespace Notifier.Pages.Contacts;

/// <summary>
/// The manual contact rules: the list (filtered by a text), adding one and removing one, through <see cref="ContactRules"/>
/// as <c>/api/contacts/rules</c> does. Changes are POSTs answered with a redirect (so a reload does not add twice).
/// </summary>
public sealed class RulesModel(ContactRules rules) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string Action { get; set; } = ContactText.Of(ManualContactAction.Add);
    [BindProperty] public string Scope { get; set; } = ContactText.Of(ContactScopeKind.Domain);

    /// <summary>For scope case: the reference (<c>NR-000123</c>) or the id.</summary>
    [BindProperty] public string? Case { get; set; }
    [BindProperty] public string? Domain { get; set; }
    [BindProperty] public string? Network { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? Language { get; set; }

    public IReadOnlyList<ManualContactRule> Rules { get; private set; } = [];
    public string? Error { get; private set; }
    [TempData] public string? Message { get; set; }

    public static IReadOnlyList<string> Actions { get; } = Enum.GetValues<ManualContactAction>().Select(ContactText.Of).ToList();
    public static IReadOnlyList<string> Scopes { get; } = Enum.GetValues<ContactScopeKind>().Select(ContactText.Of).ToList();

    public async Task OnGetAsync(CancellationToken ct) => Rules = await rules.ListAsync(null, null, Q, ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        int? caseId = null;
        if (ContactText.TryParse<ContactScopeKind>(Scope, out var scope) && scope == ContactScopeKind.Case && !string.IsNullOrWhiteSpace(Case))
        {
            caseId = CaseReference.Parse(Case);
            if (caseId is null)
            {
                Error = "case: give a case reference such as NR-000123, or its id";
                await OnGetAsync(ct);
                return Page();
            }
        }
        var request = new CreateContactRuleRequest(Address, Action, Scope, caseId, Domain, Network, Reason, string.IsNullOrEmpty(Language) ? null : Language);
        var (rule, error) = await rules.AddAsync(request, DeskUser.Actor(User), ct);
        if (error is not null)
        {
            Error = error.ToString();
            await OnGetAsync(ct);
            return Page();
        }
        Message = $"Rule {rule!.Id} added: {rule.Action} {rule.Address} for {Describe(rule)}.";
        return RedirectToPage(new { Q });
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, CancellationToken ct)
    {
        if (!await rules.RemoveAsync(id, DeskUser.Actor(User), ct))
        {
            Error = $"There is no rule {id} (removed already?).";
            await OnGetAsync(ct);
            return Page();
        }
        Message = $"Rule {id} removed.";
        return RedirectToPage(new { Q });
    }

    /// <summary>Where a rule applies, in words.</summary>
    public static string Describe(ManualContactRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Scope switch
        {
            "domain" => $"domain {rule.Domain}",
            "network" => $"network {rule.Network}",
            _ => rule.CaseId is { } id ? $"case {CaseReference.Format(id)}" : "a case",
        };
    }
}
