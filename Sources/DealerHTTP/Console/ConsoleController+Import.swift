import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird

/// The ledger import for the accountant: a 1C or Excel CSV export, checked first (the dry run) and
/// then imported, with every rejected line named by its number and field. The same LedgerCSV and
/// importLedgerEntries as `POST /v1/ledger/import`.
extension ConsoleController {
    static let importers: Set<Role> = [.admin, .accountant]

    func importForm(_ session: ConsoleSession) -> Response {
        pages.page("import", title: "Загрузка документов из 1С", view: [:], session: session)
    }

    func importLedger(_ session: ConsoleSession, request: Request, context: APIContext) async throws -> Response {
        guard let upload = try await ConsoleUpload.read(request, limit: api.maxImportBytes + 65_536),
            ConsoleToken.same(upload.fields["csrf"] ?? "", session.csrf), Self.sameOrigin(request)
        else { return forbidden(session) }
        guard let bytes = upload.files["file"], !bytes.isEmpty else {
            return pages.page(
                "import", title: "Загрузка документов из 1С", view: ["error": "Выберите файл CSV, выгруженный из 1С или Excel."], session: session,
                status: .unprocessableContent)
        }
        let dryRun = upload.fields["mode"] != "import"
        let parsed = Self.readCSV(bytes)
        guard let file = parsed.file else {
            return pages.page(
                "import", title: "Загрузка документов из 1С", view: ["error": "Файл не прочитан: \(parsed.problem)"], session: session,
                status: .unprocessableContent)
        }
        let report = try await store.importLedgerEntries(
            file, dryRun: dryRun, chunkSize: api.maxBatchEntries, defaults: api.credit, today: store.calendar.today, by: session.user.caller)
        let view: [String: Any] = [
            "report": [
                "dry_run": report.dryRun, "lines": report.lines, "created": report.created, "unchanged": report.unchanged,
                "rejected_lines": report.rejectedLines, "encoding": report.encoding.rawValue,
                "ignored": report.ignoredColumns.joined(separator: ", "),
                "rejected": report.rejected.map { ["line": $0.line, "field": $0.field, "message": $0.message] },
                "any_rejected": !report.rejected.isEmpty,
            ]
        ]
        return pages.page("import", title: "Загрузка документов из 1С", view: view, session: session)
    }

    // Parsed in a synchronous helper: Swift 6.3's compiler crashed ("Found ownership error") on this
    // do/catch inlined in the async handler.
    static func readCSV(_ bytes: [UInt8]) -> (file: LedgerCSV?, problem: String) {
        do {
            return (try LedgerCSV(bytes: bytes, encoding: nil), "")
        } catch {
            return (nil, error.message)
        }
    }
}
