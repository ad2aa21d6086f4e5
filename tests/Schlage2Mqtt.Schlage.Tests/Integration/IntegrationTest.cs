namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>Base of the integration tests: the class's simulator, reset for this test, and a fresh client.</summary>
public abstract class IntegrationTest : IClassFixture<SimulatorFixture>, IDisposable
{
    /// <param name="fixture">The class's simulator.</param>
    /// <param name="loggedIn">Whether the client starts from the fixture's stored login or from nothing.</param>
    protected IntegrationTest(SimulatorFixture fixture, bool loggedIn = true)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Fixture = fixture;
        fixture.Reset();
        Client = new SimulatorClient(fixture, loggedIn);
    }

    protected SimulatorFixture Fixture { get; }

    protected SimulatorClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        GC.SuppressFinalize(this);
    }
}
