import Foundation

/// The form a webhook URL must have, checked when an endpoint is saved. Where the host resolves to
/// is checked again before every delivery (the dispatcher's URL policy).
public enum WebhookURL {
    public static func problem(with text: String) -> String? {
        guard text.count <= 2000 else { return "at most 2000 characters" }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return "not a URL"
        }
        guard scheme == "http" || scheme == "https" else { return "only http and https URLs are allowed, not \(scheme)" }
        guard let host = components.host, !host.isEmpty else { return "the URL has no host" }
        guard components.user == nil && components.password == nil else {
            return "credentials in the URL are not allowed; the signature authenticates dealerd"
        }
        if let port = components.port, !(1...65535).contains(port) { return "port \(port) is not valid" }
        if components.fragment != nil { return "a fragment (#…) is never sent; remove it" }
        return nil
    }
}
