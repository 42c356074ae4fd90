import DealerCore
import Foundation
import SQLKit

/// What an import did, line by line where it matters: the summary the API answers and the CLI prints.
public struct LedgerImportReport: Sendable, Equatable {
    public var dryRun: Bool
    public var encoding: ImportEncoding
    public var separator: Character
    /// Data lines in the file.
    public var lines: Int
    /// Header names that matched no column.
    public var ignoredColumns: [String]
    /// New documents (with `dryRun`: documents that would be new).
    public var created = 0
    /// Documents already stored with the same content.
    public var unchanged = 0
    /// Lines refused, by the file's reading or by the store, with the column at fault and why, in line order.
    public var rejected: [LedgerCSV.Rejection] = []
    public var rejectedLines: Int { Set(rejected.map(\.line)).count }
}

extension LedgerImportReport: Encodable {
    enum CodingKeys: String, CodingKey {
        case encoding, separator, lines, created, unchanged, rejected
        case dryRun = "dry_run"
        case rejectedLines = "rejected_lines"
        case ignoredColumns = "ignored_columns"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(encoding.rawValue, forKey: .encoding)
        try container.encode(String(separator), forKey: .separator)
        try container.encode(lines, forKey: .lines)
        try container.encode(created, forKey: .created)
        try container.encode(unchanged, forKey: .unchanged)
        try container.encode(rejectedLines, forKey: .rejectedLines)
        try container.encode(rejected, forKey: .rejected)
        try container.encode(ignoredColumns, forKey: .ignoredColumns)
    }
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
        _ file: LedgerCSV, dryRun: Bool, chunkSize: Int, defaults: CreditDefaults, today: CivilDate, by actor: Caller,
        progress: @escaping @Sendable (Int, Int) async -> Void = { _, _ in }
    ) async throws -> LedgerImportReport {
        let now = clock.now()
        let flavor = database.flavor
        let rows = file.rows
        return try await writing { sql in
            var report = LedgerImportReport(
                dryRun: dryRun, encoding: file.encoding, separator: file.separator, lines: file.lineCount,
                ignoredColumns: file.ignoredColumns, rejected: file.rejections)
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
