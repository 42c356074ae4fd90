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
                let today = store.calendar.today
                let report = try await store.importLedgerEntries(
                    file, dryRun: options.dryRun, chunkSize: settings.maxBatchEntries, defaults: settings.credit, today: today,
                    by: try context.caller)
                return try JSONBody.response(report)
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
        let encoding =
            try query.string("encoding").map { text in
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
