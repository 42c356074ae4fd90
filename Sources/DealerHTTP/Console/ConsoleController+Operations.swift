import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird

/// Operations for admins: people's accounts (invite by a one-time link, a new link, disable), the
/// scheduled jobs with their last runs and a manual run, and the notification log with redelivery.
/// Each action is the store call the CLI and the API make, audited as the admin.
extension ConsoleController {
    static let operators: Set<Role> = [.admin]

    func usersPage(
        _ session: ConsoleSession, values: [String: String] = [:], errors: [String: String] = [:], link: (email: String, url: String)? = nil,
        sent: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let users = try await accounts.users()
        let roles: [Role] = [.admin, .manager, .accountant, .viewer, .dealer]
        var view: [String: Any] = [
            "users": users.map { user in
                [
                    "id": user.id.lowercased, "email": user.email, "name": user.name, "role": ConsoleText.roleName(user.role),
                    "password": user.hasPassword ? "задан" : "ещё нет", "active": user.active, "status": user.active ? "активна" : "отключена",
                    "self": user.id == session.user.id,
                ] as [String: Any]
            },
            "roles": roles.map { role in
                ["value": role.rawValue, "label": ConsoleText.roleName(role), "selected": role.rawValue == (values["role"] ?? "manager")]
                    as [String: Any]
            },
            "email": values["email"] ?? "", "name": values["name"] ?? "", "manager": values["manager"] ?? "", "dealer": values["dealer"] ?? "",
            "any_errors": !errors.isEmpty, "mail": console.mailLinks,
        ]
        if let sent { view["sent"] = sent }
        for (field, text) in errors { view["error_\(field)"] = text }
        if let link { view["link"] = ["email": link.email, "url": link.url] }
        return pages.page("users", title: "Пользователи", view: view, session: session, status: status)
    }

    func invite(_ session: ConsoleSession, form: ConsoleForm, request: Request) async throws -> Response {
        var values: [String: String] = [:]
        for field in ["email", "name", "role", "manager", "dealer"] { values[field] = form[field].trimmingCharacters(in: .whitespaces) }
        guard let role = Role(rawValue: values["role"] ?? "") else {
            return try await usersPage(session, values: values, errors: ["role": "Выберите роль."], status: .unprocessableContent)
        }
        let draft = ConsoleUserDraft(
            email: values["email"] ?? "", name: (values["name"] ?? "").isEmpty ? (values["email"] ?? "") : (values["name"] ?? ""), role: role,
            manager: role == .manager ? values["manager"].flatMap { $0.isEmpty ? nil : $0 } : nil,
            dealer: role == .dealer ? values["dealer"].flatMap { $0.isEmpty ? nil : DealerReference($0) } : nil)
        do {
            let user = try await accounts.createUser(draft, by: session.user.caller)
            let code = try await accounts.makeLink(userID: user.id, purpose: .welcome, lifetime: console.linkLifetime, by: session.user.caller)
            let url = Self.welcomeURL(code, request: request, base: console.publicURL)
            if console.mailLinks, form["send"] == "on" {
                try await mailLink(to: user, url: url, lifetime: console.linkLifetime, invitation: true)
                return try await usersPage(session, sent: user.email)
            }
            return try await usersPage(session, link: (user.email, url))
        } catch let error as ValidationError {
            var errors: [String: String] = [:]
            for issue in error.issues where errors[issue.field] == nil { errors[issue.field] = Self.accountMessage(issue) }
            return try await usersPage(session, values: values, errors: errors, status: .unprocessableContent)
        } catch DomainError.conflict(let field, _) {
            return try await usersPage(
                session, values: values, errors: [field: "Учётная запись с этой почтой уже есть."], status: .conflict)
        }
    }

    func newLink(_ session: ConsoleSession, context: APIContext, request: Request) async throws -> Response {
        let user = try await accounts.user(context.parameters.get("id") ?? "")
        let code = try await accounts.makeLink(userID: user.id, purpose: .reset, lifetime: console.linkLifetime, by: session.user.caller)
        return try await usersPage(session, link: (user.email, Self.welcomeURL(code, request: request, base: console.publicURL)))
    }

    func disableUser(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        let user = try await accounts.user(context.parameters.get("id") ?? "")
        guard user.id != session.user.id else {
            return try await usersPage(session, errors: ["disable": "Свою учётную запись отключить нельзя."], status: .conflict)
        }
        try await accounts.setActive(user.id, false, by: session.user.caller)
        return ConsolePages.redirect(to: "/admin/users")
    }

    func jobsPage(_ session: ConsoleSession, request: Request) async throws -> Response {
        let last = try await store.lastRuns(jobs: api.jobs.map(\.settings.name))
        let zone = store.calendar.timeZone
        let view: [String: Any] = [
            "jobs": api.jobs.map { entry in
                let run = last[entry.settings.name]
                return [
                    "name": entry.settings.name, "summary": entry.summary, "enabled": entry.settings.enabled,
                    "last": run.map { RussianText.instant($0.finishedAt ?? $0.createdAt, in: zone) } ?? "—",
                    "status": run.map { ConsoleText.jobStatus($0.status) } ?? "не запускалась",
                    "failed": run?.status == .failed, "error": run?.error ?? "",
                ] as [String: Any]
            },
            "flash": request.uri.queryParameters.get("started").map { "Задание \($0) поставлено в очередь." } ?? "",
        ]
        return pages.page("jobs", title: "Задания", view: view, session: session)
    }

    func runJob(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        guard let job = api.jobs.first(where: { $0.settings.name == name }) else { return notFound(session) }
        _ = try await store.requestManualRun(job: job.settings.name, asOf: store.clock.now(), by: session.user.caller)
        return ConsolePages.redirect(to: "/admin/jobs?started=\(Self.encodedQuery(job.settings.name))")
    }

    func notificationLog(_ session: ConsoleSession, request: Request) async throws -> Response {
        let status = request.uri.queryParameters.get("status").flatMap(NotificationStatus.init(rawValue:))
        let messages = try await NotificationStore(store).messages(NotificationQuery(status: status, page: PageRequest(limit: 50))).items
        let zone = store.calendar.timeZone
        let view: [String: Any] = [
            "messages": messages.map { message in
                [
                    "id": message.id.lowercased, "when": RussianText.instant(message.createdAt, in: zone), "subject": message.subject,
                    "channel": message.channel == .email ? "e-mail" : "Telegram", "recipient": message.recipient.address,
                    "status": ConsoleText.notificationStatus(message.status), "exhausted": message.status == .exhausted,
                    "error": message.lastError ?? "",
                ] as [String: Any]
            },
            "any_messages": !messages.isEmpty,
            "flash": request.uri.queryParameters.get("redelivered") != nil ? "Сообщение будет отправлено ещё раз." : "",
        ]
        return pages.page("notifications", title: "Журнал оповещений", view: view, session: session)
    }

    func redeliverNotification(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text) else { return notFound(session) }
        _ = try await NotificationStore(store).redeliver(id: id, by: session.user.caller)
        return ConsolePages.redirect(to: "/admin/notifications?redelivered=1")
    }

    func configPage(_ session: ConsoleSession) -> Response {
        pages.page("config", title: "Конфигурация", view: ["text": console.configText], session: session)
    }

    func keysPage(_ session: ConsoleSession) async throws -> Response {
        let keys = try await store.apiKeys()
        let zone = store.calendar.timeZone
        let view: [String: Any] = [
            "keys": keys.map { key in
                [
                    "id": key.id.lowercased, "name": key.name, "role": ConsoleText.roleName(key.role), "prefix": key.prefix + "…",
                    "created": RussianText.instant(key.createdAt, in: zone),
                    "used": key.lastUsedAt.map { RussianText.instant($0, in: zone) } ?? "не использовался",
                    "active": key.isActive, "status": key.isActive ? "действует" : "отозван",
                ] as [String: Any]
            }
        ]
        return pages.page("keys", title: "API-ключи", view: view, session: session)
    }

    func revokeKey(_ session: ConsoleSession, context: APIContext) async throws -> Response {
        _ = try await store.revokeAPIKey(context.parameters.get("id") ?? "", by: session.user.caller)
        return ConsolePages.redirect(to: "/admin/keys")
    }

    /// The link a person opens: under `console.url` when set, else the host this request came to.
    static func welcomeURL(_ code: String, request: Request, base: String?) -> String {
        let origin = base ?? (request.head.authority.map { "http://\($0)" } ?? "")
        return origin + "/welcome/" + code
    }

    static func accountMessage(_ issue: FieldIssue) -> String {
        switch issue.field {
        case "email": "Укажите адрес почты, например anna@example.ru."
        case "name": "Имя — от 1 до 100 символов."
        case "dealer" where issue.message.hasPrefix("no dealer"): "Такого дилера нет: укажите его код."
        case "dealer": "Пользователь дилера привязан к одному дилеру: укажите его код."
        case "manager" where issue.message.hasPrefix("no manager"): "Такого менеджера нет: укажите его почту."
        case "manager": "Учётная запись менеджера говорит за менеджера: укажите его почту."
        case "role": "Интеграциям выдаются API-ключи, а не учётные записи."
        default: issue.message
        }
    }
}
