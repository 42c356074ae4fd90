import Foundation

/// A Telegram chat a dealer's contact linked to dealerd. A contact is known by its dealer and its
/// e-mail (the address its letters already go to), so renaming the contact or reordering the list
/// keeps the chat, and a contact removed from the card is heard no more.
public struct ContactChat: Sendable, Equatable, Encodable {
    public var dealerID: UUID
    public var email: String
    public var name: String?
    public var chatID: String
    public var username: String?
    public var linkedAt: Date

    public init(dealerID: UUID, email: String, name: String?, chatID: String, username: String?, linkedAt: Date) {
        self.dealerID = dealerID
        self.email = email
        self.name = name
        self.chatID = chatID
        self.username = username
        self.linkedAt = linkedAt
    }

    /// How routing files a contact's chat: the dealer and the e-mail, compared without case.
    public static func key(_ dealerID: UUID, _ email: String) -> String {
        dealerID.lowercased + " " + email.lowercased()
    }

    /// The contact of `dealer` a link may be made for: one on its card with this e-mail.
    public static func contact(of dealer: Dealer, email: String) -> Contact? {
        dealer.contacts.first { $0.email?.lowercased() == email.lowercased() }
    }
}
