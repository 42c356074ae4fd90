import Foundation
import Hummingbird

/// The parts of a `multipart/form-data` form (a file input and the hidden fields beside it). Only
/// what the console's own forms send is read: named parts, one level deep. Anything malformed reads
/// as no parts, so a damaged upload is refused as an empty form, never a crash.
struct ConsoleUpload: Sendable {
    var fields: [String: String] = [:]
    var files: [String: [UInt8]] = [:]

    static func read(_ request: Request, limit: Int) async throws -> ConsoleUpload? {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = type.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
                .first(where: { $0.lowercased().hasPrefix("boundary=") }).map({ String($0.dropFirst("boundary=".count)) })?
                .trimmingCharacters(in: CharacterSet(charactersIn: "\"")),
            !boundary.isEmpty, boundary.utf8.count <= 200
        else { return nil }
        let body = Array(try await request.body.collect(upTo: limit).readableBytesView)
        return ConsoleUpload(parsing: body, boundary: boundary)
    }

    init(parsing body: [UInt8], boundary: String) {
        let delimiter = Array(("--" + boundary).utf8)
        var starts: [Int] = []
        var index = 0
        while let found = Self.find(delimiter, in: body, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        for (start, end) in zip(starts, starts.dropFirst()) {
            // A part: CRLF, headers, a blank line, the content, CRLF before the next delimiter.
            let partStart = start + delimiter.count + 2
            let partEnd = end - 2
            guard partStart < partEnd, let blank = Self.find(Array("\r\n\r\n".utf8), in: body, from: partStart), blank < partEnd else {
                continue
            }
            let headers = String(decoding: body[partStart..<blank], as: UTF8.self)
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                let name = Self.parameter("name", in: String(disposition))
            else { continue }
            let content = Array(body[(blank + 4)..<partEnd])
            if Self.parameter("filename", in: String(disposition)) != nil {
                files[name] = content
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
    }

    private static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where piece.hasPrefix(name + "=") {
            return String(piece.dropFirst(name.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start >= 0, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var position = start
        while position <= haystack.count - needle.count {
            if haystack[position] == needle[0] && Array(haystack[position..<(position + needle.count)]) == needle { return position }
            position += 1
        }
        return nil
    }
}
