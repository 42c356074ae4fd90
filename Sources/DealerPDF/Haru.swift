import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Debian's libharu, opened at run time. Linking it would need its headers to build dealerd at all;
/// opened here, a machine without it builds and runs everything else, and the act PDF answers with
/// a clear `PDFUnavailable` instead.
///
/// Only the calls the printed act needs are bound, with their C signatures from `hpdf.h` (2.3.0):
/// `HPDF_STATUS` is an `unsigned long`, `HPDF_REAL` a `float`, `HPDF_BOOL` an `int`, handles are
/// pointers.
struct Haru: Sendable {
    typealias Handle = OpaquePointer
    typealias Status = UInt

    let new: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Handle?
    let free: @convention(c) (Handle?) -> Void
    let getError: @convention(c) (Handle?) -> Status
    let setCompressionMode: @convention(c) (Handle?, UInt32) -> Status
    let setCurrentEncoder: @convention(c) (Handle?, UnsafePointer<CChar>?) -> Status
    let setInfoAttr: @convention(c) (Handle?, Int32, UnsafePointer<CChar>?) -> Status
    let loadTTFontFromFile: @convention(c) (Handle?, UnsafePointer<CChar>?, Int32) -> UnsafePointer<CChar>?
    let getFont: @convention(c) (Handle?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Handle?
    let addPage: @convention(c) (Handle?) -> Handle?
    let pageSetWidth: @convention(c) (Handle?, Float) -> Status
    let pageSetHeight: @convention(c) (Handle?, Float) -> Status
    let pageSetFontAndSize: @convention(c) (Handle?, Handle?, Float) -> Status
    let pageBeginText: @convention(c) (Handle?) -> Status
    let pageEndText: @convention(c) (Handle?) -> Status
    let pageTextOut: @convention(c) (Handle?, Float, Float, UnsafePointer<CChar>?) -> Status
    let pageTextWidth: @convention(c) (Handle?, UnsafePointer<CChar>?) -> Float
    let pageSetLineWidth: @convention(c) (Handle?, Float) -> Status
    let pageMoveTo: @convention(c) (Handle?, Float, Float) -> Status
    let pageLineTo: @convention(c) (Handle?, Float, Float) -> Status
    let pageStroke: @convention(c) (Handle?) -> Status
    let pageRectangle: @convention(c) (Handle?, Float, Float, Float, Float) -> Status
    let pageFill: @convention(c) (Handle?) -> Status
    let pageSetRGBFill: @convention(c) (Handle?, Float, Float, Float) -> Status
    let pageSetRGBStroke: @convention(c) (Handle?, Float, Float, Float) -> Status
    let saveToStream: @convention(c) (Handle?) -> Status
    let getStreamSize: @convention(c) (Handle?) -> UInt32
    let readFromStream: @convention(c) (Handle?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?) -> Status

    /// The names Debian gives the library: the runtime package's, then the development package's.
    static let libraryNames = ["libhpdf-2.3.0.so", "libhpdf.so", "libhpdf.so.2.3.0"]

    /// The library, opened once per process; a machine without it gets the same answer each time.
    static let shared = Result { () throws(PDFUnavailable) -> Haru in try open() }

    private static func open() throws(PDFUnavailable) -> Haru {
        guard let library = libraryNames.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
            throw PDFUnavailable(
                reason: "libharu is not installed (tried \(libraryNames.joined(separator: ", "))); on Debian: apt-get install libhpdf-2.3.0")
        }
        // The handle stays open for the life of the process: the bound functions live in it.
        func bind<Function>(_ name: String, as type: Function.Type) throws(PDFUnavailable) -> Function {
            guard let symbol = dlsym(library, name) else {
                throw PDFUnavailable(reason: "libharu has no \(name); dealerd needs libharu 2.3")
            }
            return unsafeBitCast(symbol, to: type)
        }
        return Haru(
            new: try bind("HPDF_New", as: (@convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Handle?).self),
            free: try bind("HPDF_Free", as: (@convention(c) (Handle?) -> Void).self),
            getError: try bind("HPDF_GetError", as: (@convention(c) (Handle?) -> Status).self),
            setCompressionMode: try bind("HPDF_SetCompressionMode", as: (@convention(c) (Handle?, UInt32) -> Status).self),
            setCurrentEncoder: try bind("HPDF_SetCurrentEncoder", as: (@convention(c) (Handle?, UnsafePointer<CChar>?) -> Status).self),
            setInfoAttr: try bind("HPDF_SetInfoAttr", as: (@convention(c) (Handle?, Int32, UnsafePointer<CChar>?) -> Status).self),
            loadTTFontFromFile: try bind(
                "HPDF_LoadTTFontFromFile", as: (@convention(c) (Handle?, UnsafePointer<CChar>?, Int32) -> UnsafePointer<CChar>?).self),
            getFont: try bind("HPDF_GetFont", as: (@convention(c) (Handle?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Handle?).self),
            addPage: try bind("HPDF_AddPage", as: (@convention(c) (Handle?) -> Handle?).self),
            pageSetWidth: try bind("HPDF_Page_SetWidth", as: (@convention(c) (Handle?, Float) -> Status).self),
            pageSetHeight: try bind("HPDF_Page_SetHeight", as: (@convention(c) (Handle?, Float) -> Status).self),
            pageSetFontAndSize: try bind("HPDF_Page_SetFontAndSize", as: (@convention(c) (Handle?, Handle?, Float) -> Status).self),
            pageBeginText: try bind("HPDF_Page_BeginText", as: (@convention(c) (Handle?) -> Status).self),
            pageEndText: try bind("HPDF_Page_EndText", as: (@convention(c) (Handle?) -> Status).self),
            pageTextOut: try bind("HPDF_Page_TextOut", as: (@convention(c) (Handle?, Float, Float, UnsafePointer<CChar>?) -> Status).self),
            pageTextWidth: try bind("HPDF_Page_TextWidth", as: (@convention(c) (Handle?, UnsafePointer<CChar>?) -> Float).self),
            pageSetLineWidth: try bind("HPDF_Page_SetLineWidth", as: (@convention(c) (Handle?, Float) -> Status).self),
            pageMoveTo: try bind("HPDF_Page_MoveTo", as: (@convention(c) (Handle?, Float, Float) -> Status).self),
            pageLineTo: try bind("HPDF_Page_LineTo", as: (@convention(c) (Handle?, Float, Float) -> Status).self),
            pageStroke: try bind("HPDF_Page_Stroke", as: (@convention(c) (Handle?) -> Status).self),
            pageRectangle: try bind("HPDF_Page_Rectangle", as: (@convention(c) (Handle?, Float, Float, Float, Float) -> Status).self),
            pageFill: try bind("HPDF_Page_Fill", as: (@convention(c) (Handle?) -> Status).self),
            pageSetRGBFill: try bind("HPDF_Page_SetRGBFill", as: (@convention(c) (Handle?, Float, Float, Float) -> Status).self),
            pageSetRGBStroke: try bind("HPDF_Page_SetRGBStroke", as: (@convention(c) (Handle?, Float, Float, Float) -> Status).self),
            saveToStream: try bind("HPDF_SaveToStream", as: (@convention(c) (Handle?) -> Status).self),
            getStreamSize: try bind("HPDF_GetStreamSize", as: (@convention(c) (Handle?) -> UInt32).self),
            readFromStream: try bind(
                "HPDF_ReadFromStream", as: (@convention(c) (Handle?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?) -> Status).self))
    }
}

/// The act cannot be made as a PDF on this machine: the library or a font is missing.
public struct PDFUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }

    static func missingFont(_ path: String) -> PDFUnavailable {
        PDFUnavailable(reason: "the font \(path) is missing; on Debian: apt-get install fonts-dejavu-core")
    }
}

/// libharu refused a call while drawing: a bug of ours or a broken font, never the act's content.
public struct PDFDrawingFailed: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var code: UInt
    public var description: String { "libharu failed in \(call) with error 0x\(String(code, radix: 16))" }
}
