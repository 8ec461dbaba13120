public class Dummy { [Xunit.Fact] public void X() {} }
