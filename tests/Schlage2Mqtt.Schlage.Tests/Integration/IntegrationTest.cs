namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>Base of the integration tests: the class's simulator, reset for this test, and a fresh client.</summary>
public abstract class IntegrationTest : IClassFixture<SimulatorFixture>, IDisposable
{
    protected IntegrationTest(SimulatorFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Fixture = fixture;
        fixture.Reset();
        Client = new SimulatorClient(fixture);
    }

    protected SimulatorFixture Fixture { get; }

    protected SimulatorClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        GC.SuppressFinalize(this);
    }
}
