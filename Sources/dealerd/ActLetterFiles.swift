import DealerCore
import DealerJobs
import DealerPDF
import DealerStore
import Foundation
import Logging

/// The files of an act's letter, made from the act as stored when the letter goes out: its PDF,
/// and its FNS XML when our and the dealer's details allow one.
struct ActLetterFiles: Sendable {
    let store: Store
    let acts: ActSettings
    let fonts: PDFFonts
    let logger: Logger

    func make(_ attachment: NotificationAttachment) async -> MIMEMessage.Attachment? {
        do {
            switch attachment.kind {
            case .actPDF:
                let act = try await store.act(id: attachment.actID)
                let bytes = try await ActPDF.rendered(act.sheet, fonts: fonts)
                return MIMEMessage.Attachment(filename: "Акт сверки \(act.number).pdf", contentType: "application/pdf", data: Data(bytes))
            case .actXML:
                let file = try await store.actXML(id: attachment.actID, settings: acts, timeZone: store.calendar.timeZone)
                return MIMEMessage.Attachment(filename: "\(file.id).xml", contentType: "application/xml", data: Data(file.bytes))
            }
        } catch {
            // Without libharu, or without an ОГРН for the XML, the letter still goes with the rest.
            logger.warning(
                "an act's letter goes without a file that could not be made",
                metadata: [
                    "file": .string(attachment.kind.rawValue), "act": .string(attachment.actID.lowercased), "error": .string("\(error)"),
                ])
            return nil
        }
    }
}
