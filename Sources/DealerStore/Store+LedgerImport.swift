import DealerCore
import Foundation
import SQLKit

/// What an import did, line by line where it matters.
public struct LedgerImportReport: Sendable, Equatable {
    public var dryRun: Bool
    /// New documents (with `dryRun`: documents that would be new).
    public var created = 0
    /// Documents already stored with the same content.
    public var unchanged = 0
    /// Lines refused, with the column at fault and why, in line order.
    public var rejected: [LedgerCSV.Rejection] = []
}

extension Store {
    /// Imports the rows of a CSV export in one transaction: every valid row is stored, every invalid
    /// one is reported by line and left out, so a file with three bad lines out of thirty thousand
    /// need not be split by hand — fix them and import the file again (stored rows come back
    /// `unchanged`). A document already stored with other content is refused, never overwritten: a
    /// correction is an explicit `PUT`. Balances and alerts are settled once, at the end. With
    /// `dryRun` everything is checked and nothing written. `progress` hears (rows done, rows in all)
    /// after each chunk.
    public func importLedgerEntries(
        _ rows: [LedgerCSV.Row], dryRun: Bool, chunkSize: Int, defaults: CreditDefaults, today: CivilDate, by actor: Caller,
        progress: @escaping @Sendable (Int, Int) async -> Void = { _, _ in }
    ) async throws -> LedgerImportReport {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            var report = LedgerImportReport(dryRun: dryRun)
            var touched: Set<UUID> = []
            var policies: [UUID: CreditPolicy] = [:]
            var appended: [UUID: LedgerMovement] = [:]
            var done = 0
            for chunk in rows.chunked(max(1, chunkSize)) {
                let plan = try await Self.planLedgerWrites(
                    chunk.map { ($0.dealer, $0.draft) }, correcting: false, defaults: defaults, now: now, prefix: { _ in "" },
                    entryName: { "line \(chunk[$0].line)" }, on: sql, flavor: flavor)
                policies.merge(plan.policies) { $1 }
                appended.merge(plan.appended) { LedgerMovement(effect: $0.effect + $1.effect, lastDate: max($0.lastDate, $1.lastDate)) }
                for (index, issues) in plan.rejected {
                    report.rejected += issues.map { LedgerCSV.Rejection(line: chunk[index].line, field: $0.field, message: $0.message) }
                }
                for (index, issue) in plan.conflicts {
                    report.rejected.append(LedgerCSV.Rejection(line: chunk[index].line, field: issue.field, message: issue.message))
                }
                for item in plan.accepted {
                    if item.result.outcome == .unchanged {
                        report.unchanged += 1
                    } else {
                        report.created += 1
                        touched.insert(item.result.entry.dealerID)
                    }
                }
                if !dryRun { try await Self.applyLedgerPlan(plan.accepted, by: actor, at: now, on: sql) }
                done += chunk.count
                await progress(done, rows.count)
            }
            if !dryRun {
                try await Self.refreshBalances(
                    dealerIDs: touched, defaults: defaults, today: today, at: now, on: sql, flavor: flavor, policies: policies,
                    appended: appended)
            }
            report.rejected.sort { ($0.line, $0.field) < ($1.line, $1.field) }
            return report
        }
    }
}
