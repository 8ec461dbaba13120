namespace WaldurEmulator.Tests.Contract;

/// <summary>Where the contract lives: the repo's copy first, then the shared original beside the repo.</summary>
public static class ContractFiles
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "AgentRegistry.slnx"))) return dir.FullName;
        throw new InvalidOperationException("AgentRegistry.slnx not found above " + AppContext.BaseDirectory);
    }

    public static string RepoCopy => Path.Combine(RepoRoot(), "tools", "WaldurEmulator", "openapi", OpenApiContract.FileName);

    public static string SharedOriginal => Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "waldur", OpenApiContract.FileName));

    public static string Locate() =>
        System.IO.File.Exists(RepoCopy) ? RepoCopy
            : System.IO.File.Exists(SharedOriginal) ? SharedOriginal
            : throw new FileNotFoundException("The Waldur OpenAPI subset was not found", RepoCopy);
}
