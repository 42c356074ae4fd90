import DealerCore
import DealerHTTP
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

@testable import dealerd

/// A real dealerd on a loopback port over a fresh database, with one API key per staff role (a
/// dealer key needs a dealer: `dealerKey(for:)` makes one).
struct APIHarness: Sendable {
    let client: LiveClient
    let keys: [Role: String]
    /// Keys `prepare` made, by the name it gave them.
    let namedKeys: [String: String]
    let database: TestDatabase

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String
        var json: JSONValue {
            (try? DealerJSON.decoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
        }
    }

    /// Starts the full application (config → migrations → HTTP server) and runs `body` against it.
    static func run(
        _ backend: Backend, configure: @Sendable (inout DealerdConfig) -> Void = { _ in },
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), clock: any NowProvider = SystemNow(),
        prepare: @Sendable @escaping (Store) async throws -> [String: String] = { _ in [:] },
        _ body: @Sendable @escaping (APIHarness) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.create(backend)
        defer { database.remove() }
        let keys = try await database.withStore { store in
            var keys: [Role: String] = [:]
            for role in Set<Role>.staff {
                keys[role] = try await store.createAPIKey(name: "\(role.rawValue)-key", role: role, by: .cli).secret
            }
            return keys
        }
        // Data a test needs before the server runs, so that on SQLite the test's connection and the
        // server's never wait for each other's write lock.
        let namedKeys = try await database.withStore(prepare)
        // The shipped Config/dealerd.yaml, as a new user has it, with the test's database.
        var config = try await ConfigLoader.load(path: nil, environment: [:])
        config.database.url = database.url
        // Every test runs its own server at once: small pools keep the shared PostgreSQL under its
        // connection limit (a pool that cannot connect waits, and the suite would stall).
        config.database.maxConnections = 6
        config.logLevel = .warning
        // Key uses are written at shutdown only, so a test writing through a second connection does
        // not wait for the server's periodic write on SQLite.
        config.keyUseWriteSeconds = 3600
        configure(&config)
        let app = try await buildApplication(config: config, registry: registry, clock: clock)
        try await withLiveServer(app) { client in
            try await body(APIHarness(client: client, keys: keys, namedKeys: namedKeys, database: database))
        }
        try await checkEventsAgainstContract(in: database)
    }

    /// Every event the test made the service write, held against the OpenAPI document's description
    /// of its type: across the suite, the events real requests cause keep to the contract.
    static func checkEventsAgainstContract(in database: TestDatabase) async throws {
        // Read only, without migrating: a migration's write lock would wait for the stopping
        // server's last writes on SQLite.
        let problems = try await database.withStore(migrated: false) { store in
            let contract = try EventContract()
            var problems: [EventType: String] = [:]
            var after: Int64 = 0
            while true {
                let page = try await store.events(after: after, types: [], dealerID: nil, limit: 1000)
                for stored in page.items where problems[stored.event.type] == nil {
                    let found = try contract.problems(of: EventEnvelope.json(of: stored))
                    if !found.isEmpty { problems[stored.event.type] = found.joined(separator: "; ") }
                }
                guard let last = page.items.last else { return problems }
                after = last.sequence
            }
        }
        for (type, found) in problems.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            Issue.record("a \(type.rawValue) event the service wrote breaks its contract: \(found)")
        }
    }

    /// Accredits a dealer the only way there is, for tests whose subject is not accreditation: the
    /// head of sales' override (an admin key) under the standard profile, a prospect applying first.
    func accredit(_ dealerID: String) async throws {
        if try await call(.get, "/v1/dealers/\(dealerID)").json["status"] == .string("prospect") {
            let applied = try await call(.post, "/v1/dealers/\(dealerID)/status", json: #"{"status": "applicant", "reason": "заявка"}"#)
            #expect(applied.status == .ok, "\(applied.text)")
        }
        let decided = try await call(
            .post, "/v1/dealers/\(dealerID)/accreditations",
            json: #"{"profile": "standard", "override": {"decision": "accredited", "reason": "тестовый дилер"}}"#)
        #expect(decided.status == .created && decided.json["status_after"] == .string("accredited"), "\(decided.text)")
    }

    /// Brings a new dealer to `status` the way a person would: applied, accredited by decision,
    /// then suspended or terminated through the status route.
    func bring(_ dealerID: String, to status: String) async throws {
        switch status {
        case "prospect": return
        case "applicant":
            _ = try await call(.post, "/v1/dealers/\(dealerID)/status", json: #"{"status": "applicant", "reason": "заявка"}"#)
        case "accredited": try await accredit(dealerID)
        default:
            try await accredit(dealerID)
            let moved = try await call(.post, "/v1/dealers/\(dealerID)/status", json: #"{"status": "\#(status)", "reason": "тест"}"#)
            #expect(moved.status == .ok, "\(moved.text)")
        }
    }

    /// A key of role `dealer` bound to this dealer, made the way an operator makes one.
    func dealerKey(for dealerID: String) async throws -> HTTPFields {
        let dealer = try #require(UUID(uuidString: dealerID))
        let secret = try await database.withStore { store in
            try await store.createAPIKey(name: "dealer-\(dealerID)", role: .dealer, dealer: .id(dealer), by: .cli).secret
        }
        return [.authorization: "Bearer \(secret)"]
    }

    /// The bearer header of a key `prepare` made.
    func bearer(_ name: String) -> HTTPFields {
        [.authorization: "Bearer \(namedKeys[name] ?? "")"]
    }

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, as role: Role? = .admin, json: String? = nil, headers extra: HTTPFields = [:],
        body raw: String? = nil
    ) async throws -> Reply {
        var headers = extra
        if let role, let key = keys[role] { headers[.authorization] = "Bearer \(key)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: (json ?? raw).map { ByteBuffer(string: $0) }
        ) { response in
            Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }
}

extension JSONValue {
    var array: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}

/// A dealer body as a client would send it.
func dealerJSON(code: String, name: String, taxID: String = KnownINN.organisations[0], extra: String = "") -> String {
    """
    {"code": "\(code)", "name": "\(name)", "tax_id": "\(taxID)", "region": "Москва", "segment": "cars"\(extra.isEmpty ? "" : ", " + extra)}
    """
}

/// The server's route table, built over a scratch database that is closed afterwards.
func withRouteTable<T: Sendable>(_ body: ([APIRoute]) async throws -> T) async throws -> T {
    let scratch = try await SQLiteStoreDatabase.open(.sqliteMemory, logger: testLogger)
    let routes = APIServer.routes(store: Store(database: scratch), settings: APISettings(), registry: PrometheusCollectorRegistry())
    do {
        let result = try await body(routes)
        await scratch.close()
        return result
    } catch {
        await scratch.close()
        throw error
    }
}
