using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WaldurEmulator.Features.Control;
using WaldurEmulator.Features.Customers;
using WaldurEmulator.Features.Events;
using WaldurEmulator.Features.Hooks;
using WaldurEmulator.Features.Invoices;
using WaldurEmulator.Features.Offerings;
using WaldurEmulator.Features.Orders;
using WaldurEmulator.Features.Plans;
using WaldurEmulator.Features.Providers;
using WaldurEmulator.Features.Resources;
using WaldurEmulator.Features.Usages;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator;

/// <summary>Builds and starts the Waldur emulator, as a program or inside another process (tests).</summary>
public static class EmulatorApp
{
    /// <summary>Builds the app; bind with --urls or ASPNETCORE_URLS. Options come from the "Emulator" section, then <paramref name="configure"/>.</summary>
    public static WebApplication Build(string[] args, Action<EmulatorOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(EmulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddOptions<EmulatorOptions>()
            .BindConfiguration(EmulatorOptions.Section)
            .Configure(o => configure?.Invoke(o))
            .PostConfigure(o =>
            {
                if (o.Tokens.Count == 0) o.Tokens.Add(new EmulatorToken { Token = EmulatorOptions.DefaultToken });
            });
        builder.Services.AddSingleton<EmulatorClock>();
        builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<EmulatorClock>());
        builder.Services.AddSingleton<EmulatorStore>();
        builder.Services.AddSingleton<WebhookSettings>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.Services.AddSingleton<EventPublisher>();
        builder.Services.AddSingleton<DirectoryService>();
        builder.Services.AddSingleton<OrderWorkflow>();
        builder.Services.AddSingleton<Faults>();

        var app = builder.Build();
        app.UseMiddleware<ErrorMiddleware>();
        app.UseMiddleware<ControlTokenMiddleware>();
        app.UseMiddleware<FaultMiddleware>();
        app.UseMiddleware<TokenAuthMiddleware>();

        var api = app.MapGroup("/api");
        api.MapDirectory();
        api.MapProviders();
        api.MapOfferings();
        api.MapPlans();
        api.MapOrders();
        api.MapResources();
        api.MapUsages();
        api.MapHooks();
        api.MapEvents();
        var control = app.MapGroup("/emulator");
        control.MapControl();
        control.MapInvoices();
        return app;
    }

    /// <summary>Starts the emulator on a free loopback port (real Kestrel) and returns it with its address.</summary>
    public static async Task<EmulatorHost> StartAsync(Action<EmulatorOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var app = Build(["--urls", "http://127.0.0.1:0"], configure);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        return new EmulatorHost(app, new Uri(address.TrimEnd('/') + "/"));
    }
}
