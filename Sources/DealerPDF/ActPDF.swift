import DealerCore
import Foundation
import NIOPosix

/// The reconciliation act as a PDF on A4, laid out like its printable page: the same sheet, the
/// table of both sides broken across pages with its heading repeated, rows never split, the
/// signature blocks kept together.
public enum ActPDF {
    /// The PDF of `sheet`, in the faces of `fonts`.
    ///
    /// Throws `PDFUnavailable` when libharu or a font is missing on this machine.
    public static func render(_ sheet: ActSheet, fonts: PDFFonts = .debian) throws -> [UInt8] {
        let canvas = try PDFCanvas(fonts: fonts, title: sheet.title)
        var layout = ActPDFLayout(canvas: canvas, footer: sheet.title)
        try layout.draw(sheet)
        return try canvas.bytes()
    }

    /// `render` on NIO's blocking pool: embedding the fonts and laying out a long act takes
    /// milliseconds of CPU that must not hold a thread serving requests or sending letters.
    public static func rendered(_ sheet: ActSheet, fonts: PDFFonts = .debian) async throws -> [UInt8] {
        try await NIOThreadPool.singleton.runIfActive { try render(sheet, fonts: fonts) }
    }

    /// Why acts cannot be made as PDFs here, or nil when they can: for a warning at start.
    public static func unavailability(fonts: PDFFonts = .debian) -> PDFUnavailable? {
        if case .failure(let missing) = Haru.shared { return missing }
        for path in [fonts.regular, fonts.bold] where !FileManager.default.isReadableFile(atPath: path) {
            return PDFUnavailable.missingFont(path)
        }
        return nil
    }
}

/// Where the next thing goes on the page, top to bottom.
private struct ActPDFLayout {
    let canvas: PDFCanvas
    let footer: String
    private var y: Float = 0

    private static let margin: Float = 28
    private static let top: Float = PDFCanvas.pageHeight - 34
    private static let bottom: Float = 40
    private static let width: Float = PDFCanvas.pageWidth - 2 * margin
    private static let tableSize: Float = 7
    private static let textSize: Float = 9
    private static let padding: Float = 2
    /// Each side's columns as shares of the width: date, document, debit, credit. The document is
    /// wider than on the printable page, whose browser breaks lines more tightly.
    private static let sideShares: [Float] = [0.09, 0.19, 0.11, 0.11]
    private static let differenceShares: [Float] = [0.32, 0.16, 0.16, 0.15, 0.21]
    private static let differsShade: (Float, Float, Float) = (0.992, 0.886, 0.886)

    init(canvas: PDFCanvas, footer: String) {
        self.canvas = canvas
        self.footer = footer
    }

    mutating func draw(_ sheet: ActSheet) throws {
        try newPage()
        try paragraph(sheet.title, .bold, 11, centered: true)
        y -= 2
        for line in [sheet.period, sheet.parties, sheet.details] { try paragraph(line, .regular, Self.textSize, centered: true) }
        y -= 4
        try paragraph(sheet.preamble, .regular, Self.textSize)
        y -= 4
        try actTable(sheet)
        if !sheet.differences.isEmpty {
            y -= 8
            try keepRoom(40)
            try paragraph("Расхождения", .bold, 10)
            y -= 2
            try differencesTable(sheet.differences)
        }
        y -= 6
        for conclusion in sheet.conclusions {
            try keepRoom(30)
            try paragraph("По данным \(conclusion.party):", .bold, Self.textSize)
            try paragraph(conclusion.sentence, .regular, Self.textSize)
            y -= 4
        }
        try signatures(company: sheet.company, dealer: sheet.dealer)
    }

    // MARK: pages

    private mutating func newPage() throws {
        try canvas.addPage()
        y = Self.top
        let number = "\(footer), стр. \(canvas.pageCount)"
        let width = try canvas.width(number, .regular, 6.5)
        try canvas.text(number, x: PDFCanvas.pageWidth - Self.margin - width, y: 22, .regular, 6.5)
    }

    /// Starts a new page unless `height` points fit above the bottom margin.
    private mutating func keepRoom(_ height: Float) throws {
        if y - height < Self.bottom { try newPage() }
    }

    private func lineHeight(_ size: Float) -> Float { size * 1.25 }

    private mutating func paragraph(_ text: String, _ weight: PDFCanvas.Weight, _ size: Float, centered: Bool = false) throws {
        for line in try canvas.wrap(text, width: Self.width, weight, size) {
            try keepRoom(lineHeight(size))
            y -= lineHeight(size)
            let x = centered ? Self.margin + (Self.width - (try canvas.width(line, weight, size))) / 2 : Self.margin
            try canvas.text(line, x: x, y: y + size * 0.25, weight, size)
        }
    }

    // MARK: tables

    private struct Cell {
        var text: String
        var alignRight = false
    }

    /// Draws one row of cells in columns of `widths`, its height the tallest cell's; a row that does
    /// not fit starts a new page and draws `heading` first. Returns false when it started a page.
    private mutating func row(
        _ cells: [Cell], widths: [Float], weight: PDFCanvas.Weight, shade: (Float, Float, Float)? = nil,
        strongEdges: Set<Int> = [], heading: (inout ActPDFLayout) throws -> Void
    ) throws {
        let size = Self.tableSize
        var wrapped: [[String]] = []
        for (cell, width) in zip(cells, widths) {
            wrapped.append(try canvas.wrap(cell.text, width: width - 2 * Self.padding, weight, size))
        }
        let lines = Float(wrapped.map(\.count).max() ?? 1)
        let height = lines * lineHeight(size) + 2 * Self.padding
        if y - height < Self.bottom {
            try newPage()
            try heading(&self)
        }
        let rowTop = y
        let rowBottom = y - height
        if let shade { try canvas.shade(x: Self.margin, y: rowBottom, width: Self.width, height: height, rgb: shade) }
        var x = Self.margin
        for (index, (cell, width)) in zip(cells, widths).enumerated() {
            for (number, line) in wrapped[index].enumerated() {
                let baseline = rowTop - Self.padding - Float(number + 1) * lineHeight(size) + size * 0.3
                let left = cell.alignRight ? x + width - Self.padding - (try canvas.width(line, weight, size)) : x + Self.padding
                try canvas.text(line, x: left, y: baseline, weight, size)
            }
            x += width
        }
        try canvas.line(from: (Self.margin, rowTop), to: (Self.margin + Self.width, rowTop))
        try canvas.line(from: (Self.margin, rowBottom), to: (Self.margin + Self.width, rowBottom))
        x = Self.margin
        try canvas.line(from: (x, rowTop), to: (x, rowBottom))
        for (index, width) in widths.enumerated() {
            x += width
            try canvas.line(from: (x, rowTop), to: (x, rowBottom), width: strongEdges.contains(index) ? 1.5 : 0.5)
        }
        y = rowBottom
    }

    private mutating func actTable(_ sheet: ActSheet) throws {
        let widths = (Self.sideShares + Self.sideShares).map { $0 * Self.width }
        let sideWidth = Self.sideShares.reduce(0, +) * Self.width
        let heading: (inout ActPDFLayout) throws -> Void = { layout in
            try layout.row(
                [Cell(text: "По данным \(sheet.company), \(sheet.unit)"), Cell(text: "По данным \(sheet.dealer), \(sheet.unit)")],
                widths: [sideWidth, sideWidth], weight: .bold, strongEdges: [0], heading: { _ in })
            let names = ActSheet.sideHeadings
            let titles = [names.date, names.document, names.debit, names.credit]
            try layout.row((titles + titles).map { Cell(text: $0) }, widths: widths, weight: .bold, strongEdges: [3], heading: { _ in })
        }
        try keepRoom(60)
        try heading(&self)
        for row in sheet.rows {
            let cells = [row.ours, row.theirs].flatMap { side in
                [
                    Cell(text: side.date), Cell(text: side.document), Cell(text: side.debit, alignRight: true),
                    Cell(text: side.credit, alignRight: true),
                ]
            }
            try self.row(
                cells, widths: widths, weight: row.style == .total ? .bold : .regular, shade: row.style == .differs ? Self.differsShade : nil,
                strongEdges: [3], heading: heading)
        }
    }

    private mutating func differencesTable(_ differences: [ActSheet.Difference]) throws {
        let widths = Self.differenceShares.map { $0 * Self.width }
        let heading: (inout ActPDFLayout) throws -> Void = { layout in
            try layout.row(
                ["Документ", "По нашим данным", "По данным дилера", "Разница", "Комментарий"].map { Cell(text: $0) }, widths: widths,
                weight: .bold, heading: { _ in })
        }
        try heading(&self)
        for difference in differences {
            try row(
                [
                    Cell(text: difference.document), Cell(text: difference.ours, alignRight: true),
                    Cell(text: difference.theirs, alignRight: true), Cell(text: difference.difference, alignRight: true),
                    Cell(text: difference.comment),
                ], widths: widths, weight: .regular, heading: heading)
        }
    }

    // MARK: signatures

    /// Both parties' blocks side by side, kept together on one page.
    private mutating func signatures(company: String, dealer: String) throws {
        let columnWidth = (Self.width - 24) / 2
        let names = [
            try canvas.wrap("От \(company)", width: columnWidth, .regular, Self.textSize),
            try canvas.wrap("От \(dealer)", width: columnWidth, .regular, Self.textSize),
        ]
        let nameHeight = Float(names.map(\.count).max() ?? 1) * lineHeight(Self.textSize)
        try keepRoom(nameHeight + 70)
        y -= 12
        let top = y
        for (column, lines) in names.enumerated() {
            let x = Self.margin + Float(column) * (columnWidth + 24)
            var lineY = top
            for line in lines {
                lineY -= lineHeight(Self.textSize)
                try canvas.text(line, x: x, y: lineY + 2, .regular, Self.textSize)
            }
            let signatureLine = top - nameHeight - 24
            try canvas.line(from: (x, signatureLine), to: (x + columnWidth, signatureLine))
            try canvas.text(ActSheet.signatureHint, x: x, y: signatureLine - 9, .regular, 6.5)
            try canvas.text("М.П.", x: x, y: signatureLine - 24, .regular, Self.textSize)
        }
        y = top - nameHeight - 60
    }
}
