import DealerCore
import Foundation

/// One PDF being drawn with libharu: A4 pages in points (1/72 inch, the origin at the bottom left),
/// the fonts embedded, so the text can be selected and extracted.
///
/// Text is written in Windows-1251, libharu's single-byte Cyrillic encoding, as 1C's own printed
/// forms long were. libharu 2.3's UTF-8 mode writes a ToUnicode map that poppler calls invalid and
/// files half as large again; Windows-1251 covers Russian names, «», № and the no-break space, and
/// a character it lacks prints as `?`.
///
/// Not thread-safe: one canvas is drawn by one caller, start to finish.
final class PDFCanvas {
    /// A4 in points.
    static let pageWidth: Float = 595.28
    static let pageHeight: Float = 841.89

    enum Weight { case regular, bold }

    private let haru: Haru
    private let document: Haru.Handle
    private let regular: Haru.Handle
    private let bold: Haru.Handle
    private(set) var page: Haru.Handle?
    private(set) var pageCount = 0
    private var current: (weight: Weight, size: Float)?

    /// A new document with the two faces of `fonts` embedded.
    init(fonts: PDFFonts, title: String) throws {
        haru = try Haru.shared.get()
        guard let document = haru.new(nil, nil) else { throw PDFDrawingFailed(call: "HPDF_New", code: 0) }
        self.document = document
        do {
            for path in [fonts.regular, fonts.bold] where !FileManager.default.isReadableFile(atPath: path) {
                throw PDFUnavailable.missingFont(path)
            }
            try Self.check(haru.setCompressionMode(document, 0x0F), "HPDF_SetCompressionMode", haru, document)
            // With an encoder current, libharu writes the title as a Unicode string.
            try Self.check(haru.setCurrentEncoder(document, Self.encoding), "HPDF_SetCurrentEncoder", haru, document)
            // HPDF_INFO_CREATOR (3) and HPDF_INFO_TITLE (5).
            try Self.check(haru.setInfoAttr(document, 3, "dealerd"), "HPDF_SetInfoAttr", haru, document)
            try Self.check(haru.setInfoAttr(document, 5, Self.encoded(title)), "HPDF_SetInfoAttr", haru, document)
            // The last things to throw: once every property is set, deinit frees the document.
            regular = try Self.font(fonts.regular, haru, document)
            bold = try Self.font(fonts.bold, haru, document)
        } catch {
            haru.free(document)
            throw error
        }
    }

    deinit { haru.free(document) }

    private static let encoding = "CP1251"

    /// `text` as the NUL-terminated Windows-1251 string libharu takes; control characters (a NUL
    /// would end the string early) print as spaces.
    private static func encoded(_ text: String) -> [CChar] {
        ImportText.encodeWindows1251(text, replacingWith: UInt8(ascii: "?")).map { CChar(bitPattern: $0 < 0x20 ? 0x20 : $0) } + [0]
    }

    private static func font(_ path: String, _ haru: Haru, _ document: Haru.Handle) throws -> Haru.Handle {
        guard let name = haru.loadTTFontFromFile(document, path, 1), let font = haru.getFont(document, name, Self.encoding) else {
            throw PDFUnavailable(reason: "libharu could not load the font \(path) (error 0x\(String(haru.getError(document), radix: 16)))")
        }
        return font
    }

    private static func check(_ status: Haru.Status, _ call: String, _ haru: Haru, _ document: Haru.Handle) throws {
        guard status == 0 else { throw PDFDrawingFailed(call: call, code: haru.getError(document)) }
    }

    private func check(_ status: Haru.Status, _ call: String) throws { try Self.check(status, call, haru, document) }

    private func onPage() throws -> Haru.Handle {
        guard let page else { throw PDFDrawingFailed(call: "a page before the first HPDF_AddPage", code: 0) }
        return page
    }

    func addPage() throws {
        guard let page = haru.addPage(document) else { throw PDFDrawingFailed(call: "HPDF_AddPage", code: haru.getError(document)) }
        self.page = page
        pageCount += 1
        current = nil
        try check(haru.pageSetWidth(page, Self.pageWidth), "HPDF_Page_SetWidth")
        try check(haru.pageSetHeight(page, Self.pageHeight), "HPDF_Page_SetHeight")
    }

    private func use(_ weight: Weight, _ size: Float) throws {
        if let current, current.weight == weight, current.size == size { return }
        try check(haru.pageSetFontAndSize(try onPage(), weight == .bold ? bold : regular, size), "HPDF_Page_SetFontAndSize")
        current = (weight, size)
    }

    /// How wide `text` is in points.
    func width(_ text: String, _ weight: Weight, _ size: Float) throws -> Float {
        try use(weight, size)
        return haru.pageTextWidth(try onPage(), Self.encoded(text))
    }

    /// Writes `text` with its baseline starting at (`x`, `y`).
    func text(_ text: String, x: Float, y: Float, _ weight: Weight, _ size: Float) throws {
        guard !text.isEmpty else { return }
        let page = try onPage()
        try use(weight, size)
        try check(haru.pageBeginText(page), "HPDF_Page_BeginText")
        try check(haru.pageTextOut(page, x, y, Self.encoded(text)), "HPDF_Page_TextOut")
        try check(haru.pageEndText(page), "HPDF_Page_EndText")
    }

    /// Splits `text` into lines no wider than `width`, at spaces where it can, inside a word where
    /// one word alone is wider.
    func wrap(_ text: String, width: Float, _ weight: Weight, _ size: Float) throws -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if try self.width(candidate, weight, size) <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = ""
            var piece = ""
            for character in word {
                if try !piece.isEmpty && self.width(piece + String(character), weight, size) > width {
                    lines.append(piece)
                    piece = ""
                }
                piece.append(character)
            }
            line = piece
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    func line(from start: (x: Float, y: Float), to end: (x: Float, y: Float), width: Float = 0.5) throws {
        let page = try onPage()
        try check(haru.pageSetLineWidth(page, width), "HPDF_Page_SetLineWidth")
        try check(haru.pageMoveTo(page, start.x, start.y), "HPDF_Page_MoveTo")
        try check(haru.pageLineTo(page, end.x, end.y), "HPDF_Page_LineTo")
        try check(haru.pageStroke(page), "HPDF_Page_Stroke")
    }

    /// A filled rectangle in a light shade, drawn before the text over it.
    func shade(x: Float, y: Float, width: Float, height: Float, rgb: (Float, Float, Float)) throws {
        let page = try onPage()
        try check(haru.pageSetRGBFill(page, rgb.0, rgb.1, rgb.2), "HPDF_Page_SetRGBFill")
        try check(haru.pageRectangle(page, x, y, width, height), "HPDF_Page_Rectangle")
        try check(haru.pageFill(page), "HPDF_Page_Fill")
        try check(haru.pageSetRGBFill(page, 0, 0, 0), "HPDF_Page_SetRGBFill")
    }

    /// The finished document's bytes.
    func bytes() throws -> [UInt8] {
        try check(haru.saveToStream(document), "HPDF_SaveToStream")
        var size = haru.getStreamSize(document)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let status = bytes.withUnsafeMutableBufferPointer { buffer in haru.readFromStream(document, buffer.baseAddress, &size) }
        // The whole stream in one read ends with HPDF_STREAM_EOF (0x1058) rather than success.
        guard status == 0 || status == 0x1058 else { throw PDFDrawingFailed(call: "HPDF_ReadFromStream", code: status) }
        return Array(bytes.prefix(Int(size)))
    }
}

/// The two faces the act is printed in: TrueType files, embedded in each PDF.
public struct PDFFonts: Sendable, Equatable {
    public var regular: String
    public var bold: String

    public init(regular: String, bold: String) {
        self.regular = regular
        self.bold = bold
    }

    /// DejaVu Sans from Debian's fonts-dejavu-core: it has every Cyrillic letter and the rouble sign.
    public static let debian = PDFFonts(
        regular: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", bold: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

    /// The two faces in `folder`, under DejaVu's file names.
    public static func inFolder(_ folder: String) -> PDFFonts {
        let base = URL(fileURLWithPath: folder)
        return PDFFonts(
            regular: base.appendingPathComponent("DejaVuSans.ttf").path, bold: base.appendingPathComponent("DejaVuSans-Bold.ttf").path)
    }
}
