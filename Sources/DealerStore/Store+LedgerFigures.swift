import DealerCore
import Foundation
import SQLKit

/// The figures of the balance projection, computed by the database over the ledger with set queries:
/// rows per dealer and due date come back, never the entries themselves. The write path (for the
/// dealers a batch touched) and the scan (for everyone) share them, so both agree by construction.
extension Store {
    /// Balance and last movement per dealer.
    static func ledgerTotals(dealerIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: (balance: Int64, lastMovement: CivilDate?)] {
        var totals: [UUID: (balance: Int64, lastMovement: CivilDate?)] = [:]
        for chunk in dealerIDs.chunked(sql.memberChunk) {
            for row in try await sql.raw(
                """
                SELECT dealer_id, CAST(SUM(effect_minor) AS BIGINT) AS balance_minor, MAX(document_date) AS last_movement
                FROM ledger_entries WHERE \(sql.member("dealer_id", of: chunk)) GROUP BY dealer_id
                """
            ).all() {
                totals[try row.decode(column: "dealer_id", as: UUID.self)] = (
                    try row.decode(column: "balance_minor", as: Int64.self),
                    try row.decode(column: "last_movement", as: String?.self).flatMap(CivilDate.init(stored:))
                )
            }
        }
        return totals
    }

    /// The open part of each dealer's debts past due on `today`, by due date: FIFO by window
    /// functions — a debt's open part is what the dealer's credits leave of the running total of its
    /// debts, oldest due first. `dealerIDs` nil means every dealer.
    /// `documentsUntil` leaves out documents dated after that day: the position as it stood then.
    static func overdueDebts(
        dealerIDs: [UUID]?, today: CivilDate, documentsUntil: CivilDate? = nil, on sql: any SQLDatabase
    ) async throws -> [UUID: [(due: CivilDate, open: Int64)]] {
        try await openDebts(dealerIDs: dealerIDs, dueBefore: today, documentsUntil: documentsUntil, on: sql)
    }

    /// The open part of each dealer's debts by due date (FIFO, as above): those due before
    /// `dueBefore`, or all of them when it is nil.
    static func openDebts(
        dealerIDs: [UUID]?, dueBefore: CivilDate?, documentsUntil: CivilDate? = nil, on sql: any SQLDatabase
    ) async throws -> [UUID: [(due: CivilDate, open: Int64)]] {
        var debts: [UUID: [(due: CivilDate, open: Int64)]] = [:]
        let chunks: [[UUID]?] = dealerIDs.map { $0.chunked(sql.memberChunk).map(Optional.some) } ?? [nil]
        for chunk in chunks {
            var scope: SQLQueryString = chunk.map { " AND \(sql.member("dealer_id", of: $0))" } ?? ""
            if let documentsUntil { scope += " AND document_date <= \(bind: documentsUntil.iso)" }
            let rows = try await sql.raw(
                """
                WITH debts AS (
                    SELECT dealer_id, due_date, effect_minor AS amount,
                           SUM(effect_minor) OVER (PARTITION BY dealer_id ORDER BY due_date, document_date, external_id
                                                   ROWS UNBOUNDED PRECEDING) AS running
                    FROM ledger_entries WHERE effect_minor > 0\(scope)
                ), credits AS (
                    SELECT dealer_id, -SUM(effect_minor) AS credit FROM ledger_entries WHERE effect_minor < 0\(scope) GROUP BY dealer_id
                ), unpaid AS (
                    SELECT d.dealer_id, d.due_date,
                           CASE WHEN d.running - COALESCE(c.credit, 0) <= 0 THEN 0
                                WHEN d.running - COALESCE(c.credit, 0) >= d.amount THEN d.amount
                                ELSE d.running - COALESCE(c.credit, 0) END AS open_minor
                    FROM debts d LEFT JOIN credits c ON c.dealer_id = d.dealer_id
                )
                SELECT dealer_id, due_date, CAST(SUM(open_minor) AS BIGINT) AS open_minor FROM unpaid
                WHERE open_minor > 0\(dueBefore.map { " AND due_date < \(bind: $0.iso)" } ?? SQLQueryString(""))
                GROUP BY dealer_id, due_date
                """
            ).all()
            for row in rows {
                guard let due = CivilDate(stored: try row.decode(column: "due_date", as: String.self)) else { continue }
                debts[try row.decode(column: "dealer_id", as: UUID.self), default: []].append(
                    (due, try row.decode(column: "open_minor", as: Int64.self)))
            }
        }
        return debts
    }
}

extension Store {
    /// The open parts past due of dealers whose balances are known: from their newest debts on
    /// PostgreSQL, and by the full FIFO for the dealers those do not cover and on SQLite.
    /// `everyDealer` says `balances` holds every dealer, so the full FIFO needs no list of them.
    static func overdueDebts(
        balances: [UUID: Int64], today: CivilDate, documentsUntil: CivilDate? = nil, everyDealer: Bool = false, on sql: any SQLDatabase
    ) async throws -> [UUID: [(due: CivilDate, open: Int64)]] {
        var overdue: [UUID: [(due: CivilDate, open: Int64)]] = [:]
        if sql.isPostgres {
            overdue = try await overdueDebtsFromNewest(balances: balances, today: today, documentsUntil: documentsUntil, on: sql)
        }
        let uncovered = balances.keys.filter { overdue[$0] == nil }
        guard !uncovered.isEmpty else { return overdue }
        let dealerIDs = everyDealer && uncovered.count == balances.count ? nil : Array(uncovered)
        overdue.merge(try await overdueDebts(dealerIDs: dealerIDs, today: today, documentsUntil: documentsUntil, on: sql)) { $1 }
        return overdue
    }

    /// How many of a dealer's newest debts are looked at, pass after pass: most dealers owe for their
    /// last few; a dealer whose open debts outnumber the last pass is computed in full.
    static let newestDebtsPasses = [8, 128]

    /// The open parts past due of dealers whose balances are known, on PostgreSQL: what is open after
    /// FIFO is the newest debts that add up to the balance, so only those are read, from the end of
    /// the allocation-order index, and only the open ones come back. Dealers whose newest debts do not
    /// cover the balance are left out of the answer, for the full computation. With `documentsUntil`
    /// the ledger ends on that day, and `balances` must be the balances on it.
    static func overdueDebtsFromNewest(
        balances: [UUID: Int64], today: CivilDate, documentsUntil: CivilDate? = nil, on sql: any SQLDatabase
    ) async throws -> [UUID: [(due: CivilDate, open: Int64)]] {
        var result: [UUID: [(due: CivilDate, open: Int64)]] = [:]
        for (dealerID, balance) in balances where balance <= 0 { result[dealerID] = [] }
        for limit in newestDebtsPasses {
            let owing = balances.filter { $0.value > 0 && result[$0.key] == nil }
            try await overdueDebtsFromNewest(
                owing: owing, limit: limit, today: today, documentsUntil: documentsUntil, into: &result, on: sql)
        }
        return result
    }

    private static func overdueDebtsFromNewest(
        owing: [UUID: Int64], limit: Int, today: CivilDate, documentsUntil: CivilDate?,
        into result: inout [UUID: [(due: CivilDate, open: Int64)]], on sql: any SQLDatabase
    ) async throws {
        let until: SQLQueryString = documentsUntil.map { " AND e.document_date <= \(bind: $0.iso)" } ?? ""
        for chunk in Array(owing.keys).chunked(sql.memberChunk) {
            let rows = try await sql.raw(
                """
                SELECT t.dealer_id, x.due_date, x.effect_minor, x.running
                FROM unnest(CAST(\(bind: chunk) AS uuid[]), CAST(\(bind: chunk.map { owing[$0] ?? 0 }) AS bigint[])) AS t (dealer_id, balance)
                CROSS JOIN LATERAL (
                    SELECT newest.due_date, newest.effect_minor,
                           SUM(newest.effect_minor) OVER (ORDER BY newest.due_date DESC, newest.document_date DESC, newest.external_id DESC
                                                          ROWS UNBOUNDED PRECEDING) AS running
                    FROM (
                        SELECT e.due_date, e.document_date, e.external_id, e.effect_minor FROM ledger_entries e
                        WHERE e.dealer_id = t.dealer_id AND e.effect_minor > 0\(until)
                        ORDER BY e.due_date DESC, e.document_date DESC, e.external_id DESC
                        LIMIT \(literal: limit)
                    ) newest
                ) x
                WHERE x.running - x.effect_minor < t.balance
                ORDER BY t.dealer_id, x.running
                """
            ).all()
            var newest: [UUID: [(due: CivilDate, amount: Int64)]] = [:]
            for row in rows {
                guard let due = CivilDate(stored: try row.decode(column: "due_date", as: String.self)) else { continue }
                newest[try row.decode(column: "dealer_id", as: UUID.self), default: []].append(
                    (due, try row.decode(column: "effect_minor", as: Int64.self)))
            }
            for dealerID in chunk {
                let debts = newest[dealerID] ?? []
                let open = ReceivablesPosition.overdueParts(balance: owing[dealerID] ?? 0, newestDebtsFirst: debts, today: today)
                if open.covered { result[dealerID] = open.parts }
            }
        }
    }
}
