import Foundation

extension String {
    /// Safe inside HTML or XML text and double-quoted attributes: `&`, `<`, `>` and `"` as entities.
    var markupEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
