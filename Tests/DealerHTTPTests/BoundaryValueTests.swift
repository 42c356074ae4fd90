import DealerCore
import DealerJobs
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing
import Yams

@testable import dealerd

/// Every numeric and date field of every request, at its edges and beyond: minimum, maximum, just
/// outside, and absurd (huge, negative, year 0 and 9999, empty, non-ASCII digits). Each is accepted
/// or answered 422 naming the field, never a 5xx; afterwards everything stored still reads back.
///
/// Which fields there are comes from the served OpenAPI document: a field it describes as a number
/// or a date (by type, format or name) without a row here fails the coverage test, so a new field
/// cannot skip its boundaries.
@Suite("Boundary values")
struct BoundaryValueTests {
    enum Kind: Sendable {
        case money, decimal, integer, date, instant, period
    }

    /// A value as JSON (`json`) and as it goes into a query string or a path (`text`; nil: left out).
    struct Value: Sendable {
        var json: String
        var text: String?

        static func string(_ text: String) -> Value {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return Value(json: "\"\(escaped)\"", text: text)
        }
        static func number(_ literal: String) -> Value { Value(json: literal, text: literal) }
        static let null = Value(json: "null", text: nil)
    }

    static func values(_ kind: Kind) -> [Value] {
        let absurdText: [Value] = [.string(""), .string(" "), .string("١٢٣"), .string("１２３"), .string("NaN"), .string("Infinity"), .null]
        switch kind {
        case .money, .decimal:
            return [
                .string("0"), .string("0.01"), .string("1"), .string("999999999999.99"), .string("1000000000000.00"),
                .string("-0.01"), .string("-999999999999.99"), .string("-1000000000000.00"), .string("99999999999999999999999999999"),
                .string("1e400"), .string("1E5"), .string("0x1F"), .string("12,345.67"), .string("1 000,50"), .string("0.001"),
                .number("1.5"), .number("1e308"), .number("-1"), .number("123456789012345678901234567890"), .number("0"),
            ] + absurdText
        case .integer:
            return [
                .number("0"), .number("1"), .number("-1"), .number("366"), .number("367"), .number("2147483647"), .number("2147483648"),
                .number("9223372036854775807"), .number("9223372036854775808"), .number("-9223372036854775809"), .number("1e20"),
                .number("1.5"), .string("7"),
            ] + absurdText
        case .date:
            return [
                "1900-01-01", "2199-12-31", "1899-12-31", "2200-01-01", "0000-01-01", "0001-01-01", "9999-12-31", "31.12.9999",
                "01.01.1900", "29.02.2025", "2026-02-30", "20261101", "-2026-01-01", "+12026-01-01", "٢٠٢٦-١١-٠١", "２０２６-１１-０１",
            ].map(Value.string) + absurdText
        case .instant:
            return [
                "1900-01-01T00:00:00Z", "2199-12-31T23:59:59Z", "1899-12-31T23:59:59Z", "2200-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z", "2026-11-01", "2026-11-01T25:00:00Z", "2026-11-01T00:00:00+99:00", "٢٠٢٦-11-01T00:00:00Z",
            ].map(Value.string) + absurdText
        case .period:
            return [
                "1900-01", "2199-12", "1899-12", "2200-01", "0000-01", "9999-12", "9999-Q4", "9999", "0", "2026-13", "2026-00",
                "2026-Q0", "2026-Q5", "2026-1", "٢٠٢٦-١١",
            ].map(Value.string) + absurdText
        }
    }

    /// What the cases need on file: a dealer with a document, an act to answer and an endpoint.
    struct Fixture: Sendable {
        var dealer: String
        var document: String
        var act: String
        var endpoint: String
    }

    /// One field of one operation, and how a request carrying a value in it is made.
    struct Field: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var name: String
        var kind: Kind
        /// Fields a 422 may name instead, when this value is fine but breaks a rule across fields
        /// (`from` after the default `to`).
        var partners: [String] = []
        /// The URI and body for `value`.
        var request: @Sendable (Fixture, Value) -> (uri: String, body: String?)

        var label: String { "\(method.rawValue) \(path) \(name)" }
    }

    static func query(_ value: Value) -> String {
        value.text?.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static func body(
        _ method: HTTPRequest.Method, _ path: String, _ name: String, _ kind: Kind, base: [String: String],
        uri: @escaping @Sendable (Fixture) -> String
    )
        -> Field
    {
        Field(method: method, path: path, name: name, kind: kind) { fixture, value in
            var fields = base.filter { $0.key != name }
            fields[name] = value.json
            let members = fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }
            let uri = uri(fixture).replacingOccurrences(of: "{unique}", with: UUID().uuidString.prefix(8).lowercased())
            return (uri, "{" + members.joined(separator: ", ") + "}")
        }
    }

    static func inQuery(
        _ method: HTTPRequest.Method, _ path: String, _ name: String, _ kind: Kind, uri: @escaping @Sendable (Fixture) -> String
    ) -> Field {
        Field(method: method, path: path, name: name, kind: kind) { fixture, value in
            let base = uri(fixture)
            let separator = base.contains("?") ? "&" : "?"
            return (value.text == nil ? base : base + separator + name + "=" + query(value), method == .get ? nil : "{}")
        }
    }

    static let ledgerBase = [
        "external_id": #""B-{unique}""#, "kind": #""shipment""#, "document_number": #""РН-1""#, "document_date": #""2026-11-02""#,
        "amount": #""1000""#, "currency": #""RUB""#,
    ]

    static let fields: [Field] = {
        var fields: [Field] = []
        let policy = ["limit": #""100000""#, "reason": #""договор""#]
        for (name, kind) in [
            ("limit", Kind.money), ("minimum_overdue", .money), ("payment_term_days", .integer), ("grace_days", .integer),
            ("allowed_overdue_days", .integer), ("warning_percent", .integer),
        ] {
            fields.append(body(.put, "/v1/dealers/{id}/credit-policy", name, kind, base: policy) { "/v1/dealers/\($0.dealer)/credit-policy" })
        }
        for name in ["amount", "open_orders"] {
            fields.append(
                body(.post, "/v1/dealers/{id}/credit-check", name, .money, base: ["amount": #""10""#]) { "/v1/dealers/\($0.dealer)/credit-check" })
        }
        // A week ahead, so the date is good and only the amount is at its edges; after the first
        // accepted promise the others meet the running one (409).
        let promiseDate = CivilDate(Date(), in: CivilDate.defaultCompanyTimeZone).adding(days: 7).iso
        fields.append(
            body(.post, "/v1/dealers/{id}/promises", "amount", .money, base: ["date": "\"\(promiseDate)\""]) {
                "/v1/dealers/\($0.dealer)/promises"
            })
        for (name, kind) in [("document_date", Kind.date), ("due_date", .date), ("amount", .money), ("quantity", .decimal)] {
            fields.append(body(.post, "/v1/dealers/{id}/ledger", name, kind, base: ledgerBase) { "/v1/dealers/\($0.dealer)/ledger" })
            var put = ledgerBase
            put["external_id"] = nil
            fields.append(body(.put, "/v1/dealers/{id}/ledger/{external_id}", name, kind, base: put) { "/v1/dealers/\($0.dealer)/ledger/P-{unique}" })
            fields.append(
                Field(method: .post, path: "/v1/ledger/batch", name: "entries[0].\(name)", kind: kind) { fixture, value in
                    var entry = ledgerBase
                    entry[name] = value.json
                    entry["dealer_id"] = "\"\(fixture.dealer)\""
                    entry["external_id"] = "\"L-\(UUID().uuidString.prefix(8).lowercased())\""
                    let members = entry.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }
                    return ("/v1/ledger/batch", #"{"entries": [{"# + members.joined(separator: ", ") + "}]}")
                })
        }
        for name in ["issued", "expires"] {
            fields.append(
                body(.post, "/v1/dealers/{id}/documents", name, .date, base: ["kind": #""charter""#]) { "/v1/dealers/\($0.dealer)/documents" })
            fields.append(
                body(.put, "/v1/dealers/{id}/documents/{document_id}", name, .date, base: ["kind": #""charter""#]) {
                    "/v1/dealers/\($0.dealer)/documents/\($0.document)"
                })
        }
        fields.append(body(.put, "/v1/dealers/{id}/rhythm", "interval_days", .integer, base: [:]) { "/v1/dealers/\($0.dealer)/rhythm" })
        for name in ["amount", "quantity"] {
            fields.append(
                body(.put, "/v1/dealers/{id}/plans/{period}", name, .decimal, base: ["amount": #""500000""#]) {
                    "/v1/dealers/\($0.dealer)/plans/2026-11"
                })
        }
        fields.append(
            Field(method: .put, path: "/v1/dealers/{id}/plans/{period}", name: "period", kind: .period) { fixture, value in
                ("/v1/dealers/\(fixture.dealer)/plans/\(query(value))", #"{"amount": "500000"}"#)
            })
        fields.append(inQuery(.get, "/v1/dealers/{id}/plans", "year", .integer) { "/v1/dealers/\($0.dealer)/plans" })
        fields.append(body(.post, "/v1/jobs/{name}/run", "as_of", .instant, base: [:]) { _ in "/v1/jobs/housekeeping/run" })
        fields.append(inQuery(.post, "/v1/webhooks/endpoints/{id}/recover", "since", .instant) { "/v1/webhooks/endpoints/\($0.endpoint)/recover" })
        fields.append(body(.post, "/v1/reconciliation-acts/generate", "period", .period, base: [:]) { _ in "/v1/reconciliation-acts/generate" })
        fields.append(inQuery(.get, "/v1/reconciliation-acts", "period", .period) { _ in "/v1/reconciliation-acts" })
        fields.append(inQuery(.get, "/v1/plans/fulfillment", "period", .period) { _ in "/v1/plans/fulfillment" })
        fields.append(inQuery(.get, "/v1/scorecards", "period", .period) { _ in "/v1/scorecards" })
        fields.append(inQuery(.get, "/v1/scorecards/closed", "period", .period) { _ in "/v1/scorecards/closed" })
        fields.append(body(.post, "/v1/scorecards/close", "period", .period, base: [:]) { _ in "/v1/scorecards/close" })
        fields.append(inQuery(.get, "/v1/reports/ageing", "as_of", .date) { _ in "/v1/reports/ageing" })
        let dealBase = [
            "external_id": #""B-1""#, "prospect": #""ООО «Край»""#, "manager": #""edge@example.ru""#, "amount": #""1000""#,
            "stage": #""lead""#, "status": #""won""#, "opened_on": #""2026-11-01""#, "closed_on": #""2026-11-10""#,
        ]
        for (name, kind) in [("amount", Kind.money), ("opened_on", .date), ("closed_on", .date)] {
            fields.append(body(.post, "/v1/deals", name, kind, base: dealBase) { _ in "/v1/deals" })
            fields.append(
                Field(method: .post, path: "/v1/deals/batch", name: "deals[0].\(name)", kind: kind) { _, value in
                    var deal = dealBase
                    deal[name] = value.json
                    let members = deal.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }
                    return ("/v1/deals/batch", #"{"deals": [{"# + members.joined(separator: ", ") + "}]}")
                })
        }
        fields.append(inQuery(.get, "/v1/funnel", "period", .period) { _ in "/v1/funnel" })
        for (name, partner) in [("from", "to"), ("to", "from")] {
            var field = inQuery(.get, "/v1/dealers/{id}/payment-discipline", name, .date) { "/v1/dealers/\($0.dealer)/payment-discipline" }
            field.partners = [partner]
            fields.append(field)
        }
        fields.append(
            Field(method: .get, path: "/v1/managers/{id}/kpi-targets/{period}", name: "period", kind: .period) { _, value in
                ("/v1/managers/\(UUID().uuidString)/kpi-targets/\(query(value))", nil)
            })
        fields.append(
            Field(method: .put, path: "/v1/managers/{id}/kpi-targets/{period}", name: "period", kind: .period) { _, value in
                ("/v1/managers/\(UUID().uuidString)/kpi-targets/\(query(value))", #"{"targets": {"growth": "5"}}"#)
            })
        fields.append(
            Field(method: .put, path: "/v1/managers/{id}/kpi-targets/{period}", name: "targets.sales_volume", kind: .money) { _, value in
                ("/v1/managers/\(UUID().uuidString)/kpi-targets/2026-11", #"{"targets": {"sales_volume": "# + value.json + "}}")
            })
        fields.append(inQuery(.get, "/v1/managers/{id}/scorecard", "period", .period) { _ in "/v1/managers/\(UUID().uuidString)/scorecard" })
        // The fixture's call manager, by e-mail as the telephony names him.
        let values = "/v1/kpi/values/{manager}/{period}/{kpi}"
        fields.append(
            Field(method: .put, path: values, name: "period", kind: .period) { _, value in
                ("/v1/kpi/values/edge@example.ru/\(query(value))/calls", #"{"value": "5"}"#)
            })
        fields.append(
            Field(method: .delete, path: values, name: "period", kind: .period) { _, value in
                ("/v1/kpi/values/edge@example.ru/\(query(value))/calls", nil)
            })
        for kpi in ["calls", "reach_rate"] {
            fields.append(
                Field(method: .put, path: values, name: "value", kind: .decimal) { _, value in
                    ("/v1/kpi/values/edge@example.ru/2026-11/\(kpi)", #"{"value": "# + value.json + "}")
                })
        }
        fields.append(inQuery(.get, "/v1/kpi/values", "period", .period) { _ in "/v1/kpi/values" })
        for kpi in ["/v1/kpi/profile-compliance", "/v1/kpi/act-timeliness"] {
            var from = inQuery(.get, kpi, "from", .date) { _ in kpi }
            from.partners = ["to"]
            fields.append(from)
            var to = inQuery(.get, kpi, "to", .date) { _ in kpi }
            to.partners = ["from"]
            fields.append(to)
        }
        fields.append(inQuery(.get, "/v1/events", "after", .integer) { _ in "/v1/events" })
        fields.append(inQuery(.get, "/v1/audit", "cursor", .integer) { _ in "/v1/audit" })
        fields.append(
            body(
                .post, "/v1/reconciliation-acts/{id}/dispute", "closing", .money,
                base: ["discrepancies": #"[{"document": "РН-1", "ours": "1", "theirs": "2"}]"#]
            ) {
                "/v1/reconciliation-acts/\($0.act)/dispute"
            })
        for name in ["ours", "theirs"] {
            fields.append(
                Field(method: .post, path: "/v1/reconciliation-acts/{id}/dispute", name: "discrepancies[0].\(name)", kind: .money) { fixture, value in
                    let other = name == "ours" ? #""theirs": "1""# : #""ours": "1""#
                    return (
                        "/v1/reconciliation-acts/\(fixture.act)/dispute",
                        #"{"discrepancies": [{"document": "РН-1", "\#(name)": \#(value.json), \#(other)}]}"#
                    )
                })
        }
        return fields
    }()

    /// Every query `limit`, taken from the document: each list's page size has its edges too.
    static func limitFields(_ document: [String: Any]) -> [Field] {
        OpenAPIFields.all(in: document).filter { $0.location == "query" && $0.name == "limit" }.map { field in
            let template = field.path
            return Field(method: HTTPRequest.Method(rawValue: field.method.uppercased()) ?? .get, path: template, name: "limit", kind: .integer) {
                fixture, value in
                var path =
                    template
                    .replacingOccurrences(of: "/v1/webhooks/endpoints/{id}", with: "/v1/webhooks/endpoints/\(fixture.endpoint)")
                    .replacingOccurrences(of: "{id}", with: fixture.dealer).replacingOccurrences(of: "{name}", with: "housekeeping")
                    .replacingOccurrences(of: "{external_id}", with: "B-SEED")
                if value.text != nil { path += "?limit=" + query(value) }
                return (path, nil)
            }
        }
    }

    /// The fields the contract describes as numbers or dates, and the ones a row here covers.
    @Test func everyNumericAndDateFieldOfTheContractHasItsBoundaries() async throws {
        let document = try Self.document()
        let covered = Set(
            (Self.fields + Self.limitFields(document)).map { "\($0.method.rawValue) \($0.path) \($0.name.split(separator: ".").last ?? "")" })
        let numeric = OpenAPIFields.all(in: document).filter(\.isNumberOrDate).map { "\($0.method.uppercased()) \($0.path) \($0.name)" }
        #expect(numeric.count > 40, "the walk found the contract's fields")
        let missing = numeric.filter { !covered.contains($0) }.sorted()
        #expect(missing.isEmpty, "no boundary rows for: \(missing.joined(separator: "; "))")
    }

    @Test(arguments: Backend.available)
    func everyFieldAtItsEdgesIsAcceptedOrA422AndEverythingReadsBack(_ backend: Backend) async throws {
        let cases = Self.fields + Self.limitFields(try Self.document())
        // The scheduler is off: the manual runs asked for here are recorded, not run beside the requests.
        let configure: @Sendable (inout DealerdConfig) -> Void = { config in
            config.webhooks.urlPolicy = WebhookURLPolicy(allowedHosts: ["127.0.0.1"])
            config.scheduler.enabled = false
        }
        try await APIHarness.run(backend, configure: configure) { api in
            let fixture = try await Self.fixture(api)
            var accepted = 0
            var refused = 0
            for field in cases {
                for value in Self.values(field.kind) {
                    let (uri, body) = field.request(fixture, value)
                    let reply = try await api.call(field.method, uri, json: body)
                    let label = "\(field.label) = \(value.json)"
                    #expect(reply.status.code < 500, "\(label): \(reply.text.prefix(300))")
                    if reply.status == .unprocessableContent {
                        refused += 1
                        let named = (reply.json["invalid_params"]?.array ?? []).compactMap { $0["name"]?.stringValue }
                        let leaf = String(field.name.split(separator: ".").last ?? "")
                        #expect(named.contains { $0.hasSuffix(leaf) || field.partners.contains($0) }, "\(label): names \(named)")
                    } else if reply.status.code < 300 {
                        accepted += 1
                    } else {
                        #expect([409, 404].contains(reply.status.code), "\(label): \(reply.status) \(reply.text.prefix(300))")
                    }
                }
            }
            #expect(accepted > 100 && refused > 100, "accepted \(accepted), refused \(refused)")
            // Whatever was accepted reads back: the dealer's every list and figure answers.
            let dealer = fixture.dealer
            for path in [
                "/v1/dealers/\(dealer)", "/v1/dealers/\(dealer)/receivables", "/v1/dealers/\(dealer)/credit-policy",
                "/v1/dealers/\(dealer)/credit-policy/history?limit=500", "/v1/dealers/\(dealer)/documents?limit=500",
                "/v1/dealers/\(dealer)/rhythm", "/v1/dealers/\(dealer)/reconciliation-acts?limit=500",
                "/v1/dealers/\(dealer)/promises?limit=500", "/v1/dealers/\(dealer)/dunning",
                "/v1/dealers/\(dealer)/payment-discipline", "/v1/dealers/\(dealer)/payment-discipline?from=1900-01-01&to=1902-12-31",
                "/v1/receivables?limit=500",
                "/v1/rhythm?limit=500", "/v1/plans/fulfillment?period=1900", "/v1/plans/fulfillment?period=2199", "/v1/reconciliation-acts?limit=500",
                "/v1/events?limit=500", "/v1/jobs/housekeeping/runs?limit=500", "/v1/dealers/\(dealer)/plans?year=1900",
                "/v1/dealers/\(dealer)/plans?year=2199", "/v1/scorecards?period=1900", "/v1/scorecards?period=2199", "/v1/scorecards",
                "/v1/kpi/values?period=2026-11", "/v1/kpi/values?period=1900-01", "/v1/deals?limit=500", "/v1/funnel?period=1900",
                "/v1/funnel?period=2199",
                "/v1/reports/ageing?as_of=1900-01-01", "/v1/reports/ageing?as_of=2199-12-31&group_by=manager",
                "/healthz",
            ] {
                let reply = try await api.call(.get, path)
                #expect(reply.status == .ok, "\(path): \(reply.text.prefix(300))")
            }
            var cursor: String?
            var entries = 0
            repeat {
                let page = try await api.call(.get, "/v1/dealers/\(dealer)/ledger?limit=500" + (cursor.map { "&cursor=" + $0 } ?? ""))
                #expect(page.status == .ok, "\(page.text.prefix(300))")
                entries += page.json["items"]?.array.count ?? 0
                cursor = page.json["next_cursor"]?.stringValue
            } while cursor != nil
            #expect(entries > 10, "the accepted documents are all there to read")
        }
    }

    static func document() throws -> [String: Any] {
        let url = Self.sourceDocument()
        return try #require(try Yams.load(yaml: try String(contentsOf: url, encoding: .utf8)) as? [String: Any])
    }

    /// The document in the source tree (the test bundle does not carry DealerHTTP's resources).
    static func sourceDocument() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/DealerHTTP/Resources/openapi.yaml")
    }

    /// A dealer with a document, ledger in November 2026, an act for it, and a webhook endpoint.
    static func fixture(_ api: APIHarness) async throws -> Fixture {
        let created = try await api.call(.post, "/v1/dealers", json: dealerJSON(code: "EDGE-1", name: "Граничный"))
        let dealer = try #require(created.json["id"]?.stringValue, "\(created.text)")
        try await api.accredit(dealer)
        let manager = try await api.call(.post, "/v1/managers", json: #"{"name": "Граничный", "email": "edge@example.ru", "role": "call"}"#)
        #expect(manager.status == .created, "\(manager.text)")
        var seed = ledgerBase
        seed["external_id"] = #""B-SEED""#
        let members = seed.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
        let stored = try await api.call(.post, "/v1/dealers/\(dealer)/ledger", as: .integration, json: "{" + members + "}")
        #expect(stored.status == .created, "\(stored.text)")
        let document = try await api.call(.post, "/v1/dealers/\(dealer)/documents", as: .manager, json: #"{"kind": "lease"}"#)
        let generated = try await api.call(.post, "/v1/reconciliation-acts/generate", json: #"{"period": "2026-11", "dealer_id": "\#(dealer)"}"#)
        #expect(generated.status == .ok, "\(generated.text)")
        let acts = try await api.call(.get, "/v1/dealers/\(dealer)/reconciliation-acts")
        let endpoint = try await api.call(.post, "/v1/webhooks/endpoints", json: #"{"url": "http://127.0.0.1:9/edge", "enabled": false}"#)
        return Fixture(
            dealer: dealer, document: try #require(document.json["id"]?.stringValue, "\(document.text)"),
            act: try #require(acts.json["items"]?.array.first?["id"]?.stringValue, "\(acts.text)"),
            endpoint: try #require(endpoint.json["id"]?.stringValue, "\(endpoint.text)"))
    }
}

/// The request fields an OpenAPI document describes: top-level body properties (and those of a
/// body's array items), query and path parameters.
enum OpenAPIFields {
    struct Field {
        var method: String
        var path: String
        var name: String
        var location: String
        var schema: [String: Any]

        /// A number or a date by its schema, or by the name money and date fields have in this API
        /// (amounts travel as strings, so their type alone does not tell).
        var isNumberOrDate: Bool {
            let types = (schema["type"] as? [String]) ?? [(schema["type"] as? String) ?? ""]
            if types.contains("integer") || types.contains("number") { return true }
            if ["date", "date-time"].contains(schema["format"] as? String ?? "") { return true }
            let numericNames: Set = ["amount", "limit", "minimum_overdue", "open_orders", "closing", "quantity", "ours", "theirs", "period", "year"]
            return numericNames.contains(name) || name.hasSuffix("_date")
        }
    }

    static func all(in document: [String: Any]) -> [Field] {
        let components = document["components"] as? [String: Any] ?? [:]
        func resolve(_ node: Any?) -> [String: Any] {
            var node = node as? [String: Any] ?? [:]
            while let reference = node["$ref"] as? String {
                let parts = reference.split(separator: "/").map(String.init)
                guard parts.count == 4, let section = components[parts[2]] as? [String: Any] else { return [:] }
                node = section[parts[3]] as? [String: Any] ?? [:]
            }
            return node
        }
        func properties(_ schema: [String: Any]) -> [(String, [String: Any])] {
            var found: [(String, [String: Any])] = []
            for (name, property) in schema["properties"] as? [String: Any] ?? [:] {
                let resolved = resolve(property)
                found.append((name, resolved))
                if let items = resolved["items"] { found += properties(resolve(items)) }
            }
            return found
        }
        var fields: [Field] = []
        for (path, item) in document["paths"] as? [String: Any] ?? [:] {
            let item = item as? [String: Any] ?? [:]
            let shared = (item["parameters"] as? [Any] ?? []).map(resolve)
            for (method, operation) in item where ["get", "post", "put", "patch", "delete"].contains(method) {
                let operation = operation as? [String: Any] ?? [:]
                for parameter in shared + (operation["parameters"] as? [Any] ?? []).map(resolve) {
                    let location = parameter["in"] as? String ?? ""
                    guard location == "query" || location == "path", let name = parameter["name"] as? String, name != "id" else { continue }
                    fields.append(Field(method: method, path: path, name: name, location: location, schema: resolve(parameter["schema"])))
                }
                let content = resolve(operation["requestBody"])["content"] as? [String: Any] ?? [:]
                let json = resolve(content["application/json"])
                for (name, schema) in properties(resolve(json["schema"])) {
                    fields.append(Field(method: method, path: path, name: name, location: "body", schema: schema))
                }
            }
        }
        return fields
    }
}
