import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// `POST /v1/ledger/import`: a CSV export from 1C or Excel, as it was saved.
struct LedgerImportController {
    let store: Store
    let settings: APISettings

    /// The body is the file itself; JSON belongs to `/v1/ledger/batch`.
    static let acceptedTypes: Set<String> = ["text/csv", "text/plain", "application/csv", "application/octet-stream", "application/vnd.ms-excel"]

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/ledger/import", .roles(.ledgerWriters)) { request, context in
                let options = try Self.options(from: request)
                let bytes = try await Self.fileBytes(of: request, limit: settings.maxImportBytes)
                let file: LedgerCSV
                do {
                    file = try LedgerCSV(bytes: bytes, encoding: options.encoding)
                } catch let error as LedgerCSV.FileError {
                    throw ValidationError(field: error.field, error.message)
                }
                let today = CivilDate(store.clock.now(), in: settings.companyTimeZone)
                var report = try await store.importLedgerEntries(
                    file.rows, dryRun: options.dryRun, chunkSize: settings.maxBatchEntries, defaults: settings.credit, today: today,
                    by: try context.caller)
                report.rejected = (file.rejections + report.rejected).sorted { ($0.line, $0.field) < ($1.line, $1.field) }
                return try JSONBody.response(LedgerImportResponse(file: file, report: report))
            }
        ]
    }

    static func options(from request: Request) throws -> (dryRun: Bool, encoding: ImportEncoding?) {
        if let type = request.headers[.contentType] {
            let mediaType = type.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            guard acceptedTypes.contains(mediaType) else {
                throw Problem(
                    .unsupportedMediaType, code: "unsupported_media_type", title: "Send the CSV file itself",
                    detail: "the body must be text/csv (got \(mediaType)); JSON documents go to POST /v1/ledger/batch")
            }
        }
        let query = QueryParameters(request: request)
        let encoding = try query.string("encoding").map { text in
            guard text.lowercased() != "auto" else { return nil as ImportEncoding? }
            guard let encoding = ImportEncoding(rawValue: text.lowercased()) else {
                throw ValidationError(field: "encoding", "one of: auto, utf-8, windows-1251")
            }
            return encoding
        } ?? nil
        return (try query.bool("dry_run") ?? false, encoding)
    }

    static func fileBytes(of request: Request, limit: Int) async throws -> [UInt8] {
        let buffer = try await JSONBody.collect(request, limit: limit, setting: "receivables.max_import_bytes")
        guard buffer.readableBytes > 0 else { throw ValidationError(field: "file", "the request has no body; send the CSV file") }
        return Array(buffer.readableBytesView)
    }
}

/// The summary of an import: what was stored, what was already there, and every refused line.
struct LedgerImportResponse: Encodable {
    var file: LedgerCSV
    var report: LedgerImportReport

    enum CodingKeys: String, CodingKey {
        case encoding, separator, lines, created, unchanged, rejected
        case dryRun = "dry_run"
        case rejectedLines = "rejected_lines"
        case ignoredColumns = "ignored_columns"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(report.dryRun, forKey: .dryRun)
        try container.encode(file.encoding.rawValue, forKey: .encoding)
        try container.encode(String(file.separator), forKey: .separator)
        try container.encode(file.lineCount, forKey: .lines)
        try container.encode(report.created, forKey: .created)
        try container.encode(report.unchanged, forKey: .unchanged)
        try container.encode(Set(report.rejected.map(\.line)).count, forKey: .rejectedLines)
        try container.encode(report.rejected, forKey: .rejected)
        try container.encode(file.ignoredColumns, forKey: .ignoredColumns)
    }
}
