import DealerCore
import Foundation
import SQLKit

/// What a ledger write did with one entry.
public enum LedgerWriteOutcome: String, Sendable, Codable {
    /// Stored for the first time.
    case created
    /// Sent again with the same content: nothing changed.
    case unchanged
    /// A correction: a new version of the document.
    case corrected
}

public struct LedgerWriteResult: Sendable, Equatable {
    public var entry: LedgerEntry
    public var outcome: LedgerWriteOutcome
}

extension Store {
    static let ledgerColumns =
        "id, dealer_id, external_id, kind, document_number, document_date, amount_minor, currency, due_date, comment, reason, quantity, product_group, version, created_at, updated_at"

    /// Stores ERP documents in one transaction: all or none. Re-sending a document with the same content
    /// changes nothing; different content is a conflict unless `correcting`, which stores a new
    /// version. Every invalid entry is reported at once, by its field path under `prefix(index)`.
    /// Balances of the dealers touched are recomputed in the same transaction, as of `today`.
    public func recordLedgerEntries(
        _ items: [(dealer: DealerReference, draft: LedgerEntryDraft)], correcting: Bool, defaults: CreditDefaults,
        today: CivilDate, prefix: @Sendable (Int) -> String, by actor: Caller
    ) async throws -> [LedgerWriteResult] {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            let plan = try await Self.planLedgerWrites(
                items, correcting: correcting, defaults: defaults, now: now, prefix: prefix,
                entryName: { "entry \($0) of this request" }, on: sql, flavor: flavor)
            if items.count == 1, case .id(let id) = items[0].dealer, plan.unknownDealers.contains(0) {
                throw DomainError.notFound(entity: "dealer", id: id.lowercased)
            }
            let issues = plan.rejected.sorted { $0.key < $1.key }.flatMap(\.value)
            if !issues.isEmpty { throw ValidationError(issues) }
            if let conflict = plan.conflicts.min(by: { $0.key < $1.key }) {
                throw DomainError.conflict(field: conflict.value.field, message: conflict.value.message)
            }
            try await Self.applyLedgerPlan(plan.accepted, by: actor, at: now, on: sql)
            let touched = Set(plan.accepted.filter { $0.result.outcome != .unchanged }.map(\.result.entry.dealerID))
            try await Self.refreshBalances(
                dealerIDs: touched, defaults: defaults, today: today, at: now, on: sql, flavor: flavor, policies: plan.policies,
                appended: plan.appended)
            return plan.accepted.map(\.result)
        }
    }

    /// What new documents add to a dealer's ledger: the change of its balance and the latest date.
    struct LedgerMovement {
        var effect: Int64
        var lastDate: CivilDate
    }

    /// What a batch would do: the entries accepted with their outcome, and those refused with why.
    struct LedgerPlan {
        struct Accepted {
            var index: Int
            var result: LedgerWriteResult
            /// For a correction: the version it replaces, kept in the history.
            var replaced: LedgerEntry? = nil
        }
        var accepted: [Accepted] = []
        /// Invalid content, by entry.
        var rejected: [Int: [FieldIssue]] = [:]
        /// Same document with other content (or another dealer's), by entry.
        var conflicts: [Int: FieldIssue] = [:]
        /// Entries naming a dealer that does not exist.
        var unknownDealers: Set<Int> = []
        /// The terms of every dealer the batch names (absent: none), for the balance refresh.
        var policies: [UUID: CreditPolicy] = [:]

        /// Per dealer, what the new documents move, for dealers the plan only appends to (a
        /// correction can move a dealer's latest date back, so its dealer is summed in full).
        var appended: [UUID: LedgerMovement] {
            var movements: [UUID: LedgerMovement] = [:]
            var corrected: Set<UUID> = []
            for item in accepted {
                let entry = item.result.entry
                switch item.result.outcome {
                case .created:
                    var movement = movements[entry.dealerID] ?? LedgerMovement(effect: 0, lastDate: entry.documentDate)
                    movement.effect += entry.debtEffect
                    movement.lastDate = max(movement.lastDate, entry.documentDate)
                    movements[entry.dealerID] = movement
                case .corrected: corrected.insert(entry.dealerID)
                case .unchanged: break
                }
            }
            return movements.filter { !corrected.contains($0.key) }
        }
    }

    /// Checks a batch against the store with set queries, not one per entry: the dealers named, their
    /// terms, the documents stored before. Writes nothing.
    static func planLedgerWrites(
        _ items: [(dealer: DealerReference, draft: LedgerEntryDraft)], correcting: Bool, defaults: CreditDefaults, now: Date,
        prefix: (Int) -> String, entryName: (Int) -> String, on sql: any SQLDatabase, flavor: SQLFlavor
    ) async throws -> LedgerPlan {
        var plan = LedgerPlan()
        let dealers = try await resolveDealers(items.map(\.dealer), on: sql)
        let policies = try await fetchCreditPolicies(dealerIDs: Set(dealers.values), on: sql)
        plan.policies = policies
        var candidates: [(Int, LedgerEntry)] = []
        for (index, item) in items.enumerated() {
            guard let dealerID = dealers[item.dealer] else {
                plan.unknownDealers.insert(index)
                switch item.dealer {
                case .id(let id):
                    plan.rejected[index] = [FieldIssue(field: prefix(index) + "dealer_id", message: "no dealer \(id.lowercased)")]
                case .code(let code):
                    plan.rejected[index] = [FieldIssue(field: prefix(index) + "dealer_code", message: "no dealer with code \(code)")]
                }
                continue
            }
            let policy = policies[dealerID]
            do {
                candidates.append(
                    (
                        index,
                        try item.draft.validated(
                            id: UUID(), dealerID: dealerID, currency: policy?.currency ?? defaults.currency,
                            paymentTermDays: policy?.paymentTermDays ?? defaults.paymentTermDays, now: now, prefix: prefix(index))
                    ))
            } catch {
                plan.rejected[index] = error.issues
            }
        }
        var seen: [String: Int] = [:]
        candidates = candidates.filter { index, entry in
            defer { seen[entry.externalID] = seen[entry.externalID] ?? index }
            guard let first = seen[entry.externalID] else { return true }
            plan.rejected[index] = [FieldIssue(field: prefix(index) + "external_id", message: "the same document as \(entryName(first))")]
            return false
        }

        let stored = try await fetchLedgerEntries(externalIDs: candidates.map(\.1.externalID), lockingOn: flavor, on: sql)
        for (index, candidate) in candidates {
            guard let stored = stored[candidate.externalID] else {
                plan.accepted.append(.init(index: index, result: LedgerWriteResult(entry: candidate, outcome: .created)))
                continue
            }
            guard stored.dealerID == candidate.dealerID else {
                plan.conflicts[index] = FieldIssue(
                    field: prefix(index) + "external_id",
                    message: "document \(candidate.externalID) belongs to another dealer (\(stored.dealerID.lowercased))")
                continue
            }
            if stored.sameContent(as: candidate) {
                plan.accepted.append(.init(index: index, result: LedgerWriteResult(entry: stored, outcome: .unchanged)))
                continue
            }
            guard correcting else {
                plan.conflicts[index] = FieldIssue(
                    field: prefix(index) + "external_id",
                    message: "document \(candidate.externalID) was stored with other content; send a correction with PUT …/ledger/{external_id}")
                continue
            }
            var corrected = candidate
            corrected.id = stored.id
            corrected.createdAt = stored.createdAt
            corrected.version = stored.version + 1
            plan.accepted.append(.init(index: index, result: LedgerWriteResult(entry: corrected, outcome: .corrected), replaced: stored))
        }
        return plan
    }

    /// Writes what a plan accepted: new documents in multi-row inserts, and corrections, whose
    /// replaced versions go to the history. The current version of a document is its row in
    /// `ledger_entries`; `ledger_entry_versions` holds only the versions corrections replaced.
    static func applyLedgerPlan(_ accepted: [LedgerPlan.Accepted], by actor: Caller, at now: Date, on sql: any SQLDatabase) async throws {
        var inserts: [LedgerEntry] = []
        var replaced: [LedgerEntry] = []
        for item in accepted {
            switch item.result.outcome {
            case .created:
                inserts.append(item.result.entry)
            case .corrected:
                try await updateLedgerEntry(item.result.entry, on: sql)
                if let previous = item.replaced { replaced.append(previous) }
            case .unchanged:
                break
            }
        }
        try await insertLedgerEntries(inserts, on: sql)
        try await archiveVersions(replaced, by: actor, at: now, on: sql)
        var changedSince: [UUID: CivilDate] = [:]
        for item in accepted where item.result.outcome != .unchanged {
            let entry = item.result.entry
            let earliest = min(entry.documentDate, item.replaced?.documentDate ?? entry.documentDate)
            changedSince[entry.dealerID] = min(changedSince[entry.dealerID] ?? earliest, earliest)
        }
        try await outdateActs(changedSince: changedSince, at: now, on: sql)
    }

    /// The dealers a request names, by reference; unknown ones are absent.
    static func resolveDealers(_ references: [DealerReference], on sql: any SQLDatabase) async throws -> [DealerReference: UUID] {
        var resolved: [DealerReference: UUID] = [:]
        let ids = Array(Set(references.compactMap { if case .id(let id) = $0 { id } else { nil } }))
        let codes = Array(Set(references.compactMap { if case .code(let code) = $0 { code } else { nil } }))
        for chunk in ids.chunked(sql.memberChunk) {
            for row in try await sql.raw("SELECT id FROM dealers WHERE \(sql.member("id", of: chunk))").all() {
                let id = try row.decode(column: "id", as: UUID.self)
                resolved[.id(id)] = id
            }
        }
        for chunk in codes.chunked(sql.memberChunk) {
            for row in try await sql.raw("SELECT id, code FROM dealers WHERE \(sql.member("code", of: chunk))").all() {
                resolved[.code(try row.decode(column: "code", as: String.self))] = try row.decode(column: "id", as: UUID.self)
            }
        }
        return resolved
    }

    /// A page of a dealer's entries, oldest document first (ties by document id).
    public func ledgerEntries(dealerID: UUID, page: PageRequest) async throws -> Page<LedgerEntry> {
        let after = try page.cursor.map { try LedgerCursor(decoding: $0) }
        return try await database.read { sql in
            try await Self.requireDealer(dealerID, on: sql)
            var statement: SQLQueryString = "SELECT \(unsafeRaw: Self.ledgerColumns) FROM ledger_entries WHERE dealer_id = \(bind: dealerID)"
            if let after {
                statement +=
                    " AND (document_date > \(bind: after.date) OR (document_date = \(bind: after.date) AND external_id > \(bind: after.externalID)))"
            }
            statement += " ORDER BY document_date, external_id LIMIT \(literal: page.limit + 1)"
            let (rows, more) = page.cut(try await sql.raw(statement).all())
            let entries = CorruptRows.decode(rows, table: "ledger_entries", Self.decodeLedgerEntry)
            let next = more ? entries.last.map { LedgerCursor(date: $0.documentDate.iso, externalID: $0.externalID).encoded } : nil
            return Page(items: entries, nextCursor: next)
        }
    }

    /// A page of one document's versions, oldest first, as JSON snapshots; the current one comes last.
    public func ledgerEntryVersions(dealerID: UUID, externalID: String, page: PageRequest) async throws -> Page<JSONValue> {
        let after = try page.cursor.map { try SequenceCursor(decoding: $0) }?.seq ?? 0
        return try await database.read { sql in
            guard
                let current = try await sql.raw(
                    "SELECT \(unsafeRaw: Self.ledgerColumns) FROM ledger_entries WHERE dealer_id = \(bind: dealerID) AND external_id = \(bind: externalID)"
                ).first().map(Self.decodeLedgerEntry)
            else { throw DomainError.notFound(entity: "ledger entry", id: externalID) }
            let decoder = DealerJSON.decoder()
            var versions: [(version: Int64, content: JSONValue)] = try await sql.raw(
                """
                SELECT version, content FROM ledger_entry_versions
                WHERE entry_id = \(bind: current.id) AND version < \(bind: current.version) AND version > \(bind: after)
                ORDER BY version LIMIT \(literal: page.limit + 1)
                """
            ).all().map {
                (
                    try $0.decode(column: "version", as: Int64.self),
                    try decoder.decode(JSONValue.self, from: Data(try $0.decode(column: "content", as: String.self).utf8))
                )
            }
            if Int64(current.version) > after {
                versions.append((Int64(current.version), try decoder.decode(JSONValue.self, from: Data(current.jsonText.utf8))))
            }
            let (rows, more) = page.cut(versions)
            return Page(items: rows.map(\.content), nextCursor: more ? rows.last.map { SequenceCursor(seq: $0.version).encoded } : nil)
        }
    }

    // MARK: - Rows

    static func fetchLedgerEntries(dealerID: UUID, on sql: any SQLDatabase) async throws -> [LedgerEntry] {
        try await sql.raw(
            "SELECT \(unsafeRaw: ledgerColumns) FROM ledger_entries WHERE dealer_id = \(bind: dealerID) ORDER BY document_date, external_id"
        ).all().corruptRowsSkipped(table: "ledger_entries", decodeLedgerEntry)
    }

    static func fetchLedgerEntries(externalIDs: [String], lockingOn flavor: SQLFlavor, on sql: any SQLDatabase) async throws -> [String: LedgerEntry]
    {
        var entries: [String: LedgerEntry] = [:]
        for chunk in Array(Set(externalIDs)).chunked(sql.memberChunk) {
            let rows = try await sql.raw(
                "SELECT \(unsafeRaw: ledgerColumns) FROM ledger_entries WHERE \(sql.member("external_id", of: chunk))\(unsafeRaw: flavor.rowLockForUpdate)"
            ).all()
            for entry in try rows.map(decodeLedgerEntry) { entries[entry.externalID] = entry }
        }
        return entries
    }

    /// In statements of 500 rows (17 values each): SQLite allows 32,766 bound values per statement,
    /// and fewer, larger statements spare PostgreSQL the parsing and planning.
    static func insertLedgerEntries(_ entries: [LedgerEntry], on sql: any SQLDatabase) async throws {
        for chunk in entries.chunked(500) {
            let rows: [SQLQueryString] = chunk.map { entry in
                """
                (\(bind: entry.id), \(bind: entry.dealerID), \(bind: entry.externalID), \(bind: entry.kind.rawValue),
                 \(bind: entry.documentNumber), \(bind: entry.documentDate.iso), \(bind: entry.amount.minorUnits),
                 \(bind: entry.amount.currency.code), \(bind: entry.debtEffect), \(bind: entry.dueDate?.iso), \(bind: entry.comment),
                 \(bind: entry.reason), \(bind: entry.quantity.map { "\($0)" }), \(bind: entry.productGroup), \(bind: entry.version),
                 \(bind: entry.createdAt), \(bind: entry.updatedAt))
                """
            }
            try await sql.raw(
                """
                INSERT INTO ledger_entries (id, dealer_id, external_id, kind, document_number, document_date, amount_minor, currency,
                    effect_minor, due_date, comment, reason, quantity, product_group, version, created_at, updated_at)
                VALUES \(rows.joined(separator: ", "))
                """
            ).run()
        }
    }

    static func updateLedgerEntry(_ entry: LedgerEntry, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE ledger_entries SET kind = \(bind: entry.kind.rawValue), document_number = \(bind: entry.documentNumber),
                document_date = \(bind: entry.documentDate.iso), amount_minor = \(bind: entry.amount.minorUnits),
                currency = \(bind: entry.amount.currency.code), effect_minor = \(bind: entry.debtEffect), due_date = \(bind: entry.dueDate?.iso),
                comment = \(bind: entry.comment), reason = \(bind: entry.reason), quantity = \(bind: entry.quantity.map { "\($0)" }),
                product_group = \(bind: entry.productGroup), version = \(bind: entry.version), updated_at = \(bind: entry.updatedAt)
            WHERE id = \(bind: entry.id)
            """
        ).run()
    }

    /// Keeps replaced versions; `recorded_at` and `recorded_by` say when and by whom each was
    /// replaced. A version already kept (databases written before only replaced versions were kept
    /// stored every version at once) is left as it is.
    static func archiveVersions(_ entries: [LedgerEntry], by actor: Caller, at now: Date, on sql: any SQLDatabase) async throws {
        for chunk in entries.chunked(200) {
            let rows: [SQLQueryString] = chunk.map { entry in
                "(\(bind: entry.id), \(bind: entry.version), \(bind: entry.jsonText), \(bind: now), \(bind: actor.name))"
            }
            try await sql.raw(
                """
                INSERT INTO ledger_entry_versions (entry_id, version, content, recorded_at, recorded_by) VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (entry_id, version) DO NOTHING
                """
            ).run()
        }
    }

    static func decodeLedgerEntry(_ row: any SQLRow) throws -> LedgerEntry {
        let code = try row.decode(column: "currency", as: String.self)
        guard let currency = Currency(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "stored currency \(code) is unknown"))
        }
        func date(_ column: String) throws -> CivilDate? {
            guard let text = try row.decode(column: column, as: String?.self) else { return nil }
            guard let date = CivilDate(stored: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "stored \(column) \(text) is not a date"))
            }
            return date
        }
        func requiredDate(_ column: String) throws -> CivilDate {
            guard let date = try date(column) else {
                throw DecodingError.valueNotFound(CivilDate.self, .init(codingPath: [], debugDescription: "stored \(column) is empty"))
            }
            return date
        }
        return LedgerEntry(
            id: try row.decode(column: "id", as: UUID.self),
            dealerID: try row.decode(column: "dealer_id", as: UUID.self),
            externalID: try row.decode(column: "external_id", as: String.self),
            kind: try row.enumeration("kind", as: LedgerEntryKind.self),
            documentNumber: try row.decode(column: "document_number", as: String.self),
            documentDate: try requiredDate("document_date"),
            amount: Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency),
            dueDate: try date("due_date"),
            comment: try row.decode(column: "comment", as: String?.self),
            reason: try row.decode(column: "reason", as: String?.self),
            quantity: try row.decode(column: "quantity", as: String?.self).flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) },
            productGroup: try row.decode(column: "product_group", as: String?.self),
            version: try row.decode(column: "version", as: Int.self),
            createdAt: try row.instant("created_at"),
            updatedAt: try row.instant("updated_at"))
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements, for statements with a bounded number of values.
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
