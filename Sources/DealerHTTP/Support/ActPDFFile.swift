import DealerCore
import DealerPDF
import Foundation
import HTTPTypes
import Hummingbird

/// The act as a PDF download, for the API and the console alike.
enum ActPDFFile {
    static func response(for act: ReconciliationAct, fonts: PDFFonts) async throws -> Response {
        let sheet = act.sheet
        let bytes: [UInt8]
        do {
            bytes = try await ActPDF.rendered(sheet, fonts: fonts)
        } catch let missing as PDFUnavailable {
            throw Problem(
                .serviceUnavailable, code: "pdf_unavailable", title: "The act cannot be made as a PDF on this server",
                detail: missing.reason)
        }
        var headers: HTTPFields = [.contentType: "application/pdf"]
        // RFC 6266: an ASCII fallback and the UTF-8 name (act numbers are Cyrillic).
        let encoded = "\(act.number).pdf".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "act.pdf"
        headers[.contentDisposition] = "attachment; filename=\"act.pdf\"; filename*=UTF-8''\(encoded)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
