import DealerCore
import DealerStore
import Foundation
import Logging

/// The digests: each manager's morning list of his dealers that need him (working days, 08:30),
/// and the head of sales' weekly one of the department (Mondays, 09:00). A person with nothing to
/// hear of gets nothing; a run repeated for the same day adds nothing.
struct DigestJob: Job {
    let kind: NotificationDigest.Kind
    let companyTimeZone: TimeZone
    let settings: DigestSettings
    let routing: NotificationRoutingBook

    var name: String { kind == .morning ? "morning-digest" : "weekly-digest" }
    var summary: String {
        kind == .morning
            ? "Sends each manager the morning list of his dealers over their limit, newly overdue, late in rhythm, with acts unanswered or papers expiring, and his plan."
            : "Sends the head of sales the week's digest of the department: totals and the worst five of each list."
    }
    var defaults: JobDefaults {
        JobDefaults(schedule: kind == .morning ? "30 8 * * 1-5" : "0 9 * * 1", catchUp: .once, timeout: 900)
    }

    func run(_ context: JobContext) async throws {
        guard let routing = routing.current, !routing.channels.isEmpty else {
            context.logger.info("no digests: notifications have no channel configured")
            return
        }
        let today = CivilDate(context.asOf, in: companyTimeZone)
        let previous = DigestCalendar.previousWorkingDay(before: today)
        let since = context.asOf.addingTimeInterval(-Double(today.days(since: previous)) * 86400)
        let facts = try await context.store.digestFacts(today: today, since: since, settings: settings)
        let outbox = NotificationStore(context.store)
        let (managers, chats) = try await outbox.digestAddressees()
        let notBefore = routing.quietHours?.release(of: context.asOf, in: routing.timeZone) ?? context.asOf
        var letters: [DigestLetter] = []
        var unreachable = 0
        for manager in managers {
            let digest =
                kind == .morning
                ? NotificationDigest.morning(for: manager, facts: facts) : NotificationDigest.weekly(for: manager, managers: managers, facts: facts)
            guard let digest else { continue }
            guard
                let (channel, address) = NotificationRouter.reach(
                    manager, by: routing.digestChannels, available: routing.channels, telegramChats: chats)
            else {
                unreachable += 1
                continue
            }
            letters.append(
                DigestLetter(
                    kind: kind, day: today, manager: manager, channel: channel, address: address,
                    message: routing.renderDigest(kind, channel, digest.facts(managerName: manager.name)), notBefore: notBefore))
        }
        let added = try await outbox.enqueue(letters)
        await context.progress(done: letters.count, total: letters.count)
        context.logger.info(
            "digests queued",
            metadata: [
                "digest": .string(kind.rawValue), "as_of": .string(today.iso), "queued": "\(added)", "already_queued": "\(letters.count - added)",
                "unreachable": "\(unreachable)",
            ])
    }
}
