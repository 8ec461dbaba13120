using System.ComponentModel.DataAnnotations;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin;

/// <summary>
/// Base of admin forms. The form's fields are bound into <c>Form</c>; validation runs the REST API's own
/// input records and shared rules, and their errors are shown next to the fields they name.
/// </summary>
public abstract class AdminFormPage : PageModel
{
    protected const string Prefix = "Form";

    /// <summary>Validates a REST input record with its data annotations, naming errors by form field (under <paramref name="prefix"/>).</summary>
    protected bool Validate(object input, string prefix = Prefix)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(input, new ValidationContext(input), results, validateAllProperties: true);
        foreach (var r in results)
            foreach (var member in r.MemberNames.DefaultIfEmpty(""))
                ModelState.AddModelError(member.Length == 0 ? "" : prefix.Length == 0 ? member : $"{prefix}.{member}", r.ErrorMessage ?? "The value is not valid.");
        return ModelState.IsValid;
    }

    /// <summary>Runs a change that may break a shared rule; on failure the error is in ModelState and nothing was saved.</summary>
    protected async Task<bool> TryAsync(Func<Task> change)
    {
        if (!ModelState.IsValid) return false;
        try
        {
            await change();
            return true;
        }
        catch (FieldException e)
        {
            ModelState.AddModelError($"{Prefix}.{Pascal(e.Field)}", e.Message);
        }
        catch (ConflictException e)
        {
            if (e.Kind == "duplicate-slug") ModelState.AddModelError($"{Prefix}.Slug", e.Message);
            if (e.Kind == "duplicate-name") ModelState.AddModelError($"{Prefix}.Name", e.Message);
            if (e.Kind == "duplicate-email") ModelState.AddModelError($"{Prefix}.Email", e.Message);
            ModelState.AddModelError("", e.Message);
        }
        catch (DbUpdateException e) when (ProblemExceptionHandler.IsUniqueViolation(e))
        {
            ModelState.AddModelError("", "A record with the same unique value already exists; nothing was saved.");
        }
        return false;
    }

    /// <summary>category_id → CategoryId: the API names fields in snake_case, the form in C#.</summary>
    private static string Pascal(string snake) =>
        string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}
