import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// `/v1/notifications`: the messages dealerd sent to people, with every attempt, and redelivery;
/// `/v1/managers/{id}/mutes`: a person's own silences. A manager key reads the messages to its own
/// manager (the head of sales' key, everyone's) and keeps its own mutes.
struct NotificationsController {
    let store: NotificationStore
    let managers: Store
    let maxBodyBytes: Int
    let telegram: TelegramLinks?

    static let readers: Set<Role> = [.admin, .accountant, .manager]

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/notifications", .roles(Self.readers)) { request, context in
                let query = QueryParameters(request: request)
                var filter = NotificationQuery(
                    status: try query.oneOf("status", NotificationStatus.self), channel: try query.oneOf("channel", NotificationChannel.self),
                    dealerID: try query.uuid("dealer_id"), managerID: try query.uuid("manager_id"),
                    eventType: try query.oneOf("event_type", EventType.self), page: try QueryParameters.page(of: request))
                if let own = try await ownScope(context.actor) {
                    if let asked = filter.managerID, asked != own {
                        throw DomainError.forbidden(message: "a manager reads the messages sent to himself only")
                    }
                    filter.managerID = own
                }
                let page = try await store.messages(filter)
                return try JSONBody.response(try JSONValueEncoder().encode(MessagesBody(items: page.items, nextCursor: page.nextCursor)))
            },
            APIRoute(.get, "/v1/notifications/{id}", .roles(Self.readers)) { _, context in
                let message = try await store.message(id: try context.uuidParameter(entity: "notification"))
                if let own = try await ownScope(context.actor), message.recipient.managerID != own {
                    throw DomainError.notFound(entity: "notification", id: message.id.lowercased)
                }
                return try JSONBody.response(try JSONValueEncoder().encode(message))
            },
            APIRoute(.post, "/v1/notifications/{id}/redeliver", .roles(.adminOnly)) { _, context in
                let id = try context.uuidParameter(entity: "notification")
                return try JSONBody.response(
                    try JSONValueEncoder().encode(try await store.redeliver(id: id, by: try context.caller)), status: .accepted)
            },
            APIRoute(.get, "/v1/managers/{id}/mutes", .roles([.admin, .manager])) { _, context in
                let managerID = try context.uuidParameter(entity: "manager")
                try Self.authorizeMutes(context.actor, of: managerID)
                return try JSONBody.response(try JSONValueEncoder().encode(MutesBody(items: try await store.mutes(managerID: managerID))))
            },
            APIRoute(.post, "/v1/managers/{id}/mutes", .roles([.admin, .manager])) { request, context in
                let managerID = try context.uuidParameter(entity: "manager")
                try Self.authorizeMutes(context.actor, of: managerID)
                let body = try await JSONBody.decode(MuteRequest.self, from: request, limit: maxBodyBytes)
                let added = try await store.mute(
                    NotificationMute(managerID: managerID, dealerID: body.dealerID, eventType: body.eventType), by: try context.caller)
                return try JSONBody.response(
                    try JSONValueEncoder().encode(MutesBody(items: try await store.mutes(managerID: managerID))), status: added ? .created : .ok)
            },
            APIRoute(.delete, "/v1/managers/{id}/mutes", .roles([.admin, .manager])) { request, context in
                let managerID = try context.uuidParameter(entity: "manager")
                try Self.authorizeMutes(context.actor, of: managerID)
                let query = QueryParameters(request: request)
                let mute = NotificationMute(
                    managerID: managerID, dealerID: try query.uuid("dealer_id"), eventType: try query.oneOf("event_type", EventType.self))
                guard try await store.unmute(mute, by: try context.caller) else {
                    throw DomainError.notFound(
                        entity: "mute", id: [mute.dealerID?.lowercased, mute.eventType?.rawValue].compactMap { $0 }.joined(separator: " "))
                }
                return Response(status: .noContent)
            },
            // A one-time deep link that binds the chat that opens it to this person.
            APIRoute(.post, "/v1/managers/{id}/telegram-link", .roles([.admin, .manager])) { _, context in
                let managerID = try context.uuidParameter(entity: "manager")
                try Self.authorizeMutes(context.actor, of: managerID)
                guard let telegram else {
                    throw DomainError.conflict(field: "telegram", message: "no Telegram bot is configured (notifications.telegram)")
                }
                let link = try await store.makeTelegramLink(managerID: managerID, lifetime: telegram.lifetime, by: try context.caller)
                return try JSONBody.response(
                    try JSONValueEncoder().encode(TelegramLinkBody(url: telegram.url(link.code), expiresAt: link.expiresAt)), status: .created)
            },
            APIRoute(.get, "/v1/managers/{id}/telegram", .roles([.admin, .manager])) { _, context in
                let managerID = try context.uuidParameter(entity: "manager")
                try Self.authorizeMutes(context.actor, of: managerID)
                _ = try await managers.manager(id: managerID)
                let chat = try await store.telegramChat(managerID: managerID)
                return try JSONBody.response(try JSONValueEncoder().encode(TelegramStatusBody(linked: chat != nil, chatID: chat)))
            },
            APIRoute(.delete, "/v1/managers/{id}/telegram", .roles([.admin, .manager])) { _, context in
                let managerID = try context.uuidParameter(entity: "manager")
                try Self.authorizeMutes(context.actor, of: managerID)
                guard try await store.unlinkTelegram(managerID: managerID, actor: try context.caller.name) else {
                    throw DomainError.notFound(entity: "telegram chat", id: managerID.lowercased)
                }
                return Response(status: .noContent)
            },
            // A dealer's contact (by the e-mail on its card) gets its own link: payment reminders and
            // other letters to the dealer then reach the chat that opens it. The dealer may make one
            // for its own people.
            APIRoute(.post, "/v1/dealers/{id}/telegram-link", .roles(Self.contactLinkers)) { request, context in
                let dealerID = try context.uuidParameter(entity: "dealer")
                let body = try await JSONBody.decode(ContactLinkRequest.self, from: request, limit: maxBodyBytes)
                guard let email = body.email?.trimmedNonEmpty else {
                    throw ValidationError(field: "email", "required: the e-mail of a contact on the dealer's card")
                }
                guard let telegram else {
                    throw DomainError.conflict(field: "telegram", message: "no Telegram bot is configured (notifications.telegram)")
                }
                let link = try await store.makeContactTelegramLink(
                    dealerID: dealerID, email: email, lifetime: telegram.lifetime, by: try context.caller)
                return try JSONBody.response(
                    try JSONValueEncoder().encode(ContactLinkBody(email: link.email, url: telegram.url(link.code), expiresAt: link.expiresAt)),
                    status: .created)
            },
            APIRoute(.get, "/v1/dealers/{id}/telegram", .roles(.staffOrOwnDealer)) { _, context in
                let chats = try await store.contactChats(dealerID: try context.uuidParameter(entity: "dealer"))
                return try JSONBody.response(try JSONValueEncoder().encode(ContactChatsBody(items: chats)))
            },
            APIRoute(.delete, "/v1/dealers/{id}/telegram", .roles(Self.contactLinkers)) { request, context in
                let dealerID = try context.uuidParameter(entity: "dealer")
                guard let email = QueryParameters(request: request).string("email")?.trimmedNonEmpty else {
                    throw ValidationError(field: "email", "required: the e-mail of the contact whose chat to unlink")
                }
                guard try await store.unlinkContactTelegram(dealerID: dealerID, email: email, actor: try context.caller.name) else {
                    throw DomainError.notFound(entity: "telegram chat", id: email)
                }
                return Response(status: .noContent)
            },
        ]
    }

    /// Who may link a dealer contact's chat: sales staff, the accountant, and the dealer itself.
    static let contactLinkers: Set<Role> = [.admin, .manager, .accountant, .dealer]

    /// The manager a manager key is limited to, or nil when the caller reads everyone's (admin,
    /// accountant, the head of sales).
    private func ownScope(_ caller: Caller?) async throws -> UUID? {
        guard let caller, caller.role == .manager else { return nil }
        guard let own = caller.managerID else {
            throw DomainError.forbidden(message: "a manager key must be bound to a manager to read messages (dealerd apikey create --manager EMAIL)")
        }
        if let me = try? await managers.manager(id: own), me.role == .head, me.active { return nil }
        return own
    }

    /// A manager keeps his own mutes; an admin anyone's.
    static func authorizeMutes(_ caller: Caller?, of managerID: UUID) throws {
        guard let caller, caller.role == .manager else { return }
        guard caller.managerID == managerID else {
            throw DomainError.forbidden(message: "a manager key keeps its own manager's mutes only")
        }
    }
}

struct MessagesBody: Encodable {
    var items: [NotificationMessage]
    var nextCursor: String?
}

struct TelegramLinkBody: Encodable {
    var url: String
    var expiresAt: Date
}

struct TelegramStatusBody: Encodable {
    var linked: Bool
    var chatID: String?
}

struct MutesBody: Encodable {
    var items: [NotificationMute]
}

struct ContactLinkRequest: Decodable {
    var email: String?
}

struct ContactLinkBody: Encodable {
    var email: String
    var url: String
    var expiresAt: Date
}

struct ContactChatsBody: Encodable {
    var items: [ContactChat]
}

struct MuteRequest: Decodable {
    var dealerID: UUID?
    var eventType: EventType?

    enum CodingKeys: String, CodingKey {
        case dealerID = "dealer_id"
        case eventType = "event_type"
    }
}
