using System.Security.Cryptography;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Identity;

/// <summary>Creates the first operator account when the registry has none (a startup task, after migrations).</summary>
internal sealed class BootstrapAdmin(IServiceProvider services) : IStartupTask
{
    public async Task RunAsync(CancellationToken ct)
    {
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("bootstrap");
        var db = scope.ServiceProvider.GetRequiredService<RegistryDb>();
        if (await db.LocalAccounts.AnyAsync(ct)) return;

        var options = scope.ServiceProvider.GetRequiredService<IOptions<RegistryIdentityOptions>>().Value;
        var generated = string.IsNullOrEmpty(options.BootstrapAdminPassword);
        var password = generated ? RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20) : options.BootstrapAdminPassword!;
        var account = new LocalAccount
        {
            Email = options.BootstrapAdminEmail, DisplayName = "Administrator", Role = Roles.Operator, PasswordHash = "",
        };
        account.PasswordHash = new PasswordHasher<LocalAccount>().HashPassword(account, password);
        db.LocalAccounts.Add(account);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (ProblemExceptionHandler.IsUniqueViolation(e))
        {
            // Another replica starting at the same moment made the account first.
            return;
        }

        if (generated)
        {
            // Deliberately the console, not the logger: the one time this password is shown.
            Console.WriteLine($"""

                ==================================================================
                 AgentRegistry created the operator account {account.Email}
                 password: {password}
                 It is shown this once. Sign in at /login and change it, or set
                 Identity__BootstrapAdminPassword before the first start.
                ==================================================================

                """);
        }
    }
}
