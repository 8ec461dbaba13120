using WaldurEmulator;

var app = EmulatorApp.Build(args);
app.Run();
