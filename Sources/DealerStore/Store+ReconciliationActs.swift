import DealerCore
import Foundation
import SQLKit

/// What one generation pass did.
public struct ActGenerationResult: Sendable, Equatable, Encodable {
    /// Dealers looked at (active, in scope).
    public var dealers: Int
    /// New acts (first versions and new versions).
    public var created: Int
    /// New versions among them, each replacing an outdated act.
    public var superseded: Int
    /// Acts already there with the same content: nothing made.
    public var unchanged: Int
    /// Dealers without movement and with a zero balance: no act.
    public var skipped: Int
}

/// How acts are made (`reconciliation.*` in config): our organisation and the number pattern.
public struct ActSettings: Sendable, Equatable {
    public var company: ActParty
    public var currency: Currency
    public var numbers: ActNumberPattern
    /// What the FNS electronic act needs besides.
    public var fns: FNSExportSettings
    public var deadlines: ActDeadlines

    public init(
        company: ActParty, currency: Currency = .rub, numbers: ActNumberPattern = ActNumberPattern(), fns: FNSExportSettings = FNSExportSettings(),
        deadlines: ActDeadlines = ActDeadlines()
    ) {
        self.company = company
        self.currency = currency
        self.numbers = numbers
        self.fns = fns
        self.deadlines = deadlines
    }
}

extension Store {
    /// Makes the acts of a period for every active dealer (accredited or suspended) with movement
    /// in it or a balance, or for one dealer. Dealers go in chunks, each chunk one transaction, so
    /// memory stays flat and a crash loses at most the chunk in flight. Idempotent: an act whose
    /// content the ledger still gives is left alone; one whose period changed gets a new version
    /// linked to it, and the old one is outdated. One `reconciliation.act_generated` per new act.
    public func generateActs(
        from: CivilDate, to: CivilDate, dealer: UUID? = nil, reason: ActReason, settings: ActSettings, chunkSize: Int = 500,
        progress: @Sendable (Int) async -> Void = { _ in }
    ) async throws -> ActGenerationResult {
        var result = ActGenerationResult(dealers: 0, created: 0, superseded: 0, unchanged: 0, skipped: 0)
        var after: UUID?
        while true {
            let chunk: [Dealer] = try await database.read { [after] sql in
                let scope: SQLQueryString = dealer.map { "id = \(bind: $0)" } ?? "status IN ('accredited', 'suspended')"
                let start: SQLQueryString = after.map { " AND id > \(bind: $0)" } ?? ""
                return try await sql.raw(
                    "SELECT \(unsafeRaw: DealerRow.columns) FROM dealers WHERE \(scope)\(start) ORDER BY id LIMIT \(literal: chunkSize)"
                ).all().map(DealerRow.decode)
            }
            guard let last = chunk.last else { break }
            after = last.id
            let done = try await writing { sql in
                try await Self.generateActs(for: chunk, from: from, to: to, reason: reason, settings: settings, at: self.clock.now(), on: sql)
            }
            result.dealers += chunk.count
            result.created += done.created
            result.superseded += done.superseded
            result.unchanged += done.unchanged
            result.skipped += done.skipped
            await progress(result.dealers)
            if chunk.count < chunkSize { break }
        }
        return result
    }

    static func generateActs(
        for dealers: [Dealer], from: CivilDate, to: CivilDate, reason: ActReason, settings: ActSettings, at now: Date, on sql: any SQLDatabase
    ) async throws -> ActGenerationResult {
        let flavor: SQLFlavor = sql.isPostgres ? .postgres : .sqlite
        let ids = dealers.map(\.id)
        var openings: [UUID: Int64] = [:]
        for row in try await sql.raw(
            """
            SELECT dealer_id, CAST(SUM(effect_minor) AS BIGINT) AS opening FROM ledger_entries
            WHERE \(sql.member("dealer_id", of: ids)) AND document_date < \(bind: from.iso) GROUP BY dealer_id
            """
        ).all() {
            openings[try row.decode(column: "dealer_id", as: UUID.self)] = try row.decode(column: "opening", as: Int64.self)
        }
        var entries: [UUID: [LedgerEntry]] = [:]
        for row in try await sql.raw(
            """
            SELECT \(unsafeRaw: ledgerColumns) FROM ledger_entries
            WHERE \(sql.member("dealer_id", of: ids)) AND document_date >= \(bind: from.iso) AND document_date <= \(bind: to.iso)
            """
        ).all() {
            let entry = try decodeLedgerEntry(row)
            entries[entry.dealerID, default: []].append(entry)
        }
        var latest: [UUID: LatestAct] = [:]
        for row in try await sql.raw(
            """
            SELECT id, dealer_id, version, statement, status FROM reconciliation_acts
            WHERE \(sql.member("dealer_id", of: ids)) AND period_from = \(bind: from.iso) AND period_to = \(bind: to.iso)
            ORDER BY version
            """
        ).all() {
            latest[try row.decode(column: "dealer_id", as: UUID.self)] = LatestAct(
                id: try row.decode(column: "id", as: UUID.self), version: try row.decode(column: "version", as: Int.self),
                statement: try row.decode(column: "statement", as: String.self), status: try row.enumeration("status", as: ActStatus.self))
        }
        var result = ActGenerationResult(dealers: dealers.count, created: 0, superseded: 0, unchanged: 0, skipped: 0)
        var events: [DomainEvent] = []
        var pending: [(dealer: Dealer, statement: ReconciliationStatement, text: String, previous: LatestAct?)] = []
        for dealer in dealers {
            let opening = openings[dealer.id] ?? 0
            let own = entries[dealer.id] ?? []
            guard opening != 0 || !own.isEmpty else {
                result.skipped += 1
                continue
            }
            let statement = ReconciliationStatement(
                from: from, to: to, currency: settings.currency, company: settings.company,
                dealer: ActParty(name: dealer.legalName, inn: dealer.taxID.value, kpp: dealer.kpp), openingMinor: opening, entries: own)
            let text = DealerJSON.string(of: statement)
            let previous = latest[dealer.id]
            if let previous, previous.statement == text, previous.status != .outdated {
                result.unchanged += 1
                continue
            }
            pending.append((dealer, statement, text, previous))
        }
        guard !pending.isEmpty else { return result }
        // Set-based per chunk: one statement outdates the replaced versions, one reserves the numbers,
        // multi-row inserts store the acts.
        let replaced = pending.compactMap { $0.previous.flatMap { $0.status == .outdated ? nil : $0.id } }
        for ids in replaced.chunked(sql.memberChunk) {
            try await sql.raw("UPDATE reconciliation_acts SET status = 'outdated', outdated_at = \(bind: now) WHERE \(sql.member("id", of: ids))")
                .run()
        }
        var sequence = try await reserveActNumbers(pending.count, year: to.year, on: sql)
        var rows: [SQLQueryString] = []
        for (dealer, statement, text, previous) in pending {
            let act = ReconciliationAct(
                id: UUID(), number: settings.numbers.number(periodEnd: to, sequence: sequence), dealerID: dealer.id,
                version: (previous?.version ?? 0) + 1, previousID: previous?.id, reason: reason, status: .generated, statement: statement,
                generatedAt: now)
            sequence += 1
            let eventID = UUID()
            rows.append(
                """
                (\(bind: act.id), \(bind: act.number), \(bind: dealer.id), \(bind: from.iso), \(bind: to.iso), \(bind: act.version),
                 \(bind: act.previousID), \(bind: reason.rawValue), 'generated', \(bind: text), \(bind: statement.closingMinor), \(bind: now),
                 \(bind: eventID))
                """)
            result.created += 1
            if previous != nil { result.superseded += 1 }
            events.append(
                try DomainEvent(
                    id: eventID, type: .reconciliationActGenerated, occurredAt: now, dealerID: dealer.id,
                    payload: ActGenerated(
                        actID: act.id, number: act.number, dealerID: dealer.id, code: dealer.code, periodFrom: from, periodTo: to,
                        version: act.version, previousID: act.previousID, reason: reason,
                        closing: Money(minorUnits: statement.closingMinor, currency: settings.currency))))
        }
        for chunk in rows.chunked(50) {
            try await sql.raw(
                """
                INSERT INTO reconciliation_acts (id, number, dealer_id, period_from, period_to, version, previous_id, reason, status, statement,
                    closing_minor, generated_at, generated_event_id)
                VALUES \(chunk.joined(separator: ", "))
                """
            ).run()
        }
        try await Outbox.appendAll(events, on: sql, flavor: flavor)
        return result
    }

    /// A ledger write that touches a period an act covers (a document dated on or before its last
    /// day changes its lines or its opening balance) outdates the act at once; the next run makes
    /// its new version. Free while there are no acts.
    static func outdateActs(changedSince: [UUID: CivilDate], at now: Date, on sql: any SQLDatabase) async throws {
        guard !changedSince.isEmpty, try await sql.raw("SELECT id FROM reconciliation_acts LIMIT 1").first() != nil else { return }
        for (since, dealers) in Dictionary(grouping: changedSince, by: \.value).mapValues({ $0.map(\.key) }) {
            for chunk in dealers.chunked(sql.memberChunk) {
                try await sql.raw(
                    """
                    UPDATE reconciliation_acts SET status = 'outdated', outdated_at = \(bind: now)
                    WHERE status <> 'outdated' AND period_to >= \(bind: since.iso) AND \(sql.member("dealer_id", of: chunk))
                    """
                ).run()
            }
        }
    }

    /// The latest stored version of a dealer's act for the period being made.
    struct LatestAct: Sendable {
        var id: UUID
        var version: Int
        var statement: String
        var status: ActStatus
    }

    /// Reserves `count` numbers of the year at once from its counter row (locked by the transaction);
    /// returns the first.
    static func reserveActNumbers(_ count: Int, year: Int, on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw(
            """
            INSERT INTO reconciliation_act_numbers (year, last_sequence) VALUES (\(bind: year), \(bind: count))
            ON CONFLICT (year) DO UPDATE SET last_sequence = reconciliation_act_numbers.last_sequence + \(bind: count)
            RETURNING last_sequence
            """
        ).first()
        let last = try row?.decode(column: "last_sequence", as: Int.self) ?? count
        return last - count + 1
    }
}
