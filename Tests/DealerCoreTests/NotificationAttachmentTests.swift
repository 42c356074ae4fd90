import DealerCore
import Foundation
import Testing

/// Which letters carry files: only a new act's e-mail to the dealer, carrying the act twice.
@Suite("Files in letters")
struct NotificationAttachmentTests {
    static let act = UUID()
    static let generated = DomainEvent(
        type: .reconciliationActGenerated, occurredAt: Date(), dealerID: UUID(), data: .object(["act_id": .string(act.lowercased)]))

    @Test func aNewActsLetterToTheDealerCarriesItsPDFAndXML() throws {
        let files = NotificationAttachment.of(Self.generated, channel: .email, recipient: .contact)
        #expect(files == [NotificationAttachment(.actPDF, actID: Self.act), NotificationAttachment(.actXML, actID: Self.act)])
        #expect(NotificationAttachment.deliveredAct(files) == Self.act)
        let stored = try DealerJSON.encoder().encode(files)
        #expect(String(decoding: stored, as: UTF8.self).contains(#""kind":"act_pdf""#))
        #expect(try DealerJSON.decoder().decode([NotificationAttachment].self, from: stored) == files)
    }

    @Test func aContactsChatGetsThePDFOnlyOurPeopleAndOtherEventsNoFiles() {
        #expect(NotificationAttachment.of(Self.generated, channel: .email, recipient: .manager).isEmpty)
        #expect(NotificationAttachment.of(Self.generated, channel: .telegram, recipient: .manager).isEmpty)
        #expect(
            NotificationAttachment.of(Self.generated, channel: .telegram, recipient: .contact) == [NotificationAttachment(.actPDF, actID: Self.act)])
        let disputed = DomainEvent(type: .reconciliationActDisputed, occurredAt: Date(), data: .object(["act_id": .string(Self.act.lowercased)]))
        #expect(NotificationAttachment.of(disputed, channel: .email, recipient: .contact).isEmpty)
        let unreadable = DomainEvent(type: .reconciliationActGenerated, occurredAt: Date(), data: .object(["act_id": .string("not-a-uuid")]))
        #expect(NotificationAttachment.of(unreadable, channel: .email, recipient: .contact).isEmpty)
        #expect(NotificationAttachment.deliveredAct([]) == nil)
    }
}
