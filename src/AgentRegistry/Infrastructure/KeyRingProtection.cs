using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// The Data Protection key ring (it signs sessions and visitor tokens and seals stored secrets) lives in the database.
/// With <c>DataProtection:Certificate</c> (a PKCS#12 file with its private key, and <c>DataProtection:CertificatePassword</c>)
/// every key is stored encrypted to that certificate, so a database reader cannot forge a session. Without one the keys
/// are stored as they are, and the registry says so loudly at start.
/// </summary>
public static class KeyRingProtection
{
    public const string CertificateSetting = "DataProtection:Certificate";
    public const string PasswordSetting = "DataProtection:CertificatePassword";

    public static IDataProtectionBuilder ProtectKeysFromConfiguration(this IDataProtectionBuilder builder, IConfiguration config)
    {
        var path = config[CertificateSetting];
        if (string.IsNullOrWhiteSpace(path))
        {
            builder.Services.AddHostedService<UnprotectedKeyRingWarning>();
            return builder;
        }
        if (!File.Exists(path)) throw new InvalidOperationException($"{CertificateSetting} names {path}, which does not exist.");
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, config[PasswordSetting], X509KeyStorageFlags.EphemeralKeySet);
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{CertificateSetting} needs the certificate's private key (a PKCS#12 file), to read the keys back.");
        return builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    private sealed class UnprotectedKeyRingWarning(ILogger<UnprotectedKeyRingWarning> log) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            log.LogWarning("Data Protection keys are stored UNENCRYPTED in the database: whoever reads the database can forge sign-in "
                + "cookies and visitor tokens and open sealed secrets. Set {Setting} (a PKCS#12 certificate) to encrypt them.", CertificateSetting);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
