import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// Runs `app` on a free loopback port and hands `body` a client for it, then shuts the app down
/// gracefully, whether `body` returned or threw.
///
/// HummingbirdTesting's `.live` framework does the same with a client that gives up after 20
/// seconds without a byte. In the suite's first minutes some thirty servers share two cores, and a
/// correct answer now and then took longer: a test failed on the machine's load, not on what it
/// checks (`.readTimeout` in CI). The wait here is long enough for a loaded machine and still ends
/// a request that truly hangs.
func withLiveServer<App: ApplicationProtocol, Value: Sendable>(
    _ app: App, readTimeout: Duration = .seconds(120), _ body: @Sendable (LiveClient) async throws -> Value
) async throws -> Value {
    let served = PortReporting(base: app)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        let services = ServiceGroup(
            configuration: .init(services: [served], logger: app.logger))
        group.addTask {
            // A server that never comes up (a failed migration, say) must end the wait for its port.
            do {
                try await services.run()
                served.port.resolve(.failure(PortReporting<App>.NoPort()))
            } catch {
                served.port.resolve(.failure(error))
                throw error
            }
        }
        let port = try await served.port.value()
        let client = TestClient(host: "localhost", port: port, configuration: .init(timeout: readTimeout))
        client.connect()
        do {
            let value = try await body(LiveClient(client: client, port: port))
            try await client.shutdown()
            await services.triggerGracefulShutdown()
            return value
        } catch {
            try? await client.shutdown()
            await services.triggerGracefulShutdown()
            throw error
        }
    }
}

/// The client `withLiveServer` hands out: HummingbirdTesting's raw client on one kept-alive
/// connection, with the calls the tests make.
struct LiveClient: Sendable {
    let client: TestClient
    let port: Int?

    struct Response: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
    }

    func execute<Return>(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
        testCallback: (Response) async throws -> Return
    ) async throws -> Return {
        try await testCallback(try await execute(uri: uri, method: method, headers: headers, body: body))
    }

    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> Response {
        var headers = headers
        headers[.connection] = "keep-alive"
        let request = TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body)
        let response = try await client.execute(request)
        return Response(status: response.status, headers: response.headers, body: response.body ?? ByteBuffer())
    }
}

/// The application as configured, bound to port 0, telling which port it got once it listens.
private struct PortReporting<Base: ApplicationProtocol>: ApplicationProtocol {
    typealias Responder = Base.Responder
    let base: Base
    let port = OneShot<Int>()

    var responder: Responder { get async throws { try await base.responder } }
    var server: HTTPServerBuilder { base.server }
    var eventLoopGroup: any EventLoopGroup { base.eventLoopGroup }
    var configuration: ApplicationConfiguration {
        var configuration = base.configuration
        configuration.address = .hostname("127.0.0.1", port: 0)
        return configuration
    }
    var logger: Logger { base.logger }
    var services: [any Service] { base.services }
    var processesRunBeforeServerStart: [@Sendable () async throws -> Void] { base.processesRunBeforeServerStart }

    @Sendable func onServerRunning(_ channel: any Channel) async {
        await base.onServerRunning(channel)
        if let number = channel.localAddress?.port {
            port.resolve(.success(number))
        } else {
            self.port.resolve(.failure(NoPort()))
        }
    }

    struct NoPort: Error {}
}

/// A value set once and awaited by any number of waiters.
private final class OneShot<Value: Sendable>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Value, any Error>])
        case done(Result<Value, any Error>)
    }
    private let state = NIOLockedValueBox(State.waiting([]))

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            state.withLockedValue { state in
                switch state {
                case .waiting(let waiters): state = .waiting(waiters + [continuation])
                case .done(let result): continuation.resume(with: result)
                }
            }
        }
    }

    func resolve(_ result: Result<Value, any Error>) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Value, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
