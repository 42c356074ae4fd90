import Foundation

/// A person at the dealer to talk to.
public struct Contact: Sendable, Equatable, Codable {
    public var name: String
    public var position: String?
    public var email: String?
    public var phone: String?
    /// What dealerd writes to this person about: payment reminders and acts go to `accounting`.
    public var purpose: ContactPurpose?

    public init(name: String, position: String? = nil, email: String? = nil, phone: String? = nil, purpose: ContactPurpose? = nil) {
        self.name = name
        self.position = position
        self.email = email
        self.phone = phone
        self.purpose = purpose
    }

    public static let maxCount = 20

    /// The contact with blanks dropped, or the issues found under `path`.
    func normalized(path: String, into collector: inout ValidationCollector) -> Contact {
        var result = self
        if let name = name.trimmedNonEmpty {
            result.name = name
        } else {
            collector.add("\(path).name", "a contact needs a name")
        }
        result.position = position?.trimmedNonEmpty
        result.email = email?.trimmedNonEmpty
        if let email = result.email, !email.looksLikeEmail {
            collector.add("\(path).email", "not an e-mail address")
        }
        result.phone = phone?.trimmedNonEmpty
        if let phone = result.phone, !Self.isPlausiblePhone(phone) {
            collector.add("\(path).phone", "a phone number has 5 to 15 digits and may use + ( ) - and spaces")
        }
        return result
    }

    static func isPlausiblePhone(_ phone: String) -> Bool {
        let allowed = phone.allSatisfy { ($0.isASCII && $0.isNumber) || "+()- ".contains($0) }
        let digits = phone.filter { $0.isASCII && $0.isNumber }.count
        return allowed && (5...15).contains(digits)
    }
}
