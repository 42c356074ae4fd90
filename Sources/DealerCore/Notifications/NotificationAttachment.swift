import Foundation

/// A file a letter carries, named by what it is and made when the letter is sent, so the outbox
/// row stays small and a retry attaches the act as it is then.
///
/// Stored in the message's `attachments` column as `{"kind": "act_pdf", "act_id": "…"}`.
public struct NotificationAttachment: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The act as a PDF on A4.
        case actPDF = "act_pdf"
        /// The act as the FNS sender's title (КНД 1110332) for the dealer's EDO operator.
        case actXML = "act_xml"
    }

    public var kind: Kind
    public var actID: UUID

    public init(_ kind: Kind, actID: UUID) {
        self.kind = kind
        self.actID = actID
    }

    /// The files a message carries: a new act's letter to the dealer carries the act, as a PDF and
    /// as FNS XML; in a contact's Telegram chat the PDF follows the message as a document (the
    /// XML is for the EDO operator, which takes mail). Messages to our own people link to it instead.
    public static func of(_ event: DomainEvent, channel: NotificationChannel, recipient: NotificationRecipient.Kind) -> [NotificationAttachment] {
        guard event.type == .reconciliationActGenerated, recipient == .contact,
            let text = event.data["act_id"]?.stringValue, let act = UUID(uuidString: text)
        else { return [] }
        switch channel {
        case .email: return [NotificationAttachment(.actPDF, actID: act), NotificationAttachment(.actXML, actID: act)]
        case .telegram: return [NotificationAttachment(.actPDF, actID: act)]
        }
    }

    /// The act a letter delivers, if it delivers one: its status becomes `sent` when the letter is.
    public static func deliveredAct(_ attachments: [NotificationAttachment]) -> UUID? {
        attachments.first { $0.kind == .actPDF }?.actID
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case actID = "act_id"
    }
}
