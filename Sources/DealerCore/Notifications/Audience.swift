/// Whom a notification rule addresses, resolved per event to people on file.
///
/// In the rules file: `manager`, `service_specialist`, `head_of_sales`, `operators`,
/// `contact:accounting` (a dealer contact of that purpose), or `email:someone@example.com`.
public enum Audience: Sendable, Hashable, CustomStringConvertible {
    /// The dealer's account manager.
    case manager
    /// The dealer's service specialist.
    case serviceSpecialist
    /// Every active manager of sales role `head`.
    case headOfSales
    /// The operators' addresses (`notifications.operators`).
    case operators
    /// The dealer's contacts of this purpose that have an e-mail.
    case contact(ContactPurpose)
    /// A fixed address.
    case email(String)

    public init?(_ text: String) {
        switch text {
        case "manager": self = .manager
        case "service_specialist": self = .serviceSpecialist
        case "head_of_sales": self = .headOfSales
        case "operators": self = .operators
        default:
            if text.hasPrefix("contact:"), let purpose = ContactPurpose(rawValue: String(text.dropFirst("contact:".count))) {
                self = .contact(purpose)
            } else if text.hasPrefix("email:"), case let address = String(text.dropFirst("email:".count)).lowercased(),
                address.looksLikeEmail
            {
                self = .email(address)
            } else {
                return nil
            }
        }
    }

    public var description: String {
        switch self {
        case .manager: "manager"
        case .serviceSpecialist: "service_specialist"
        case .headOfSales: "head_of_sales"
        case .operators: "operators"
        case .contact(let purpose): "contact:\(purpose.rawValue)"
        case .email(let address): "email:\(address)"
        }
    }

    /// Whether the audience is a dealer's person, so an event without a dealer has none.
    var needsDealer: Bool {
        switch self {
        case .manager, .serviceSpecialist, .contact: true
        case .headOfSales, .operators, .email: false
        }
    }
}
