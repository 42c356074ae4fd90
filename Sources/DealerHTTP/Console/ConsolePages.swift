import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// The console's mustache templates and static files (`Resources/console`), and the headers every
/// page carries: a Content-Security-Policy that runs only our own script with this response's nonce,
/// no framing, no caching of pages with people's data.
struct ConsolePages: Sendable {
    let library: MustacheLibrary
    let assets: [String: (bytes: ByteBuffer, type: String)]

    static func load() async throws -> ConsolePages {
        guard let folder = Bundle.module.url(forResource: "console", withExtension: nil) else {
            throw ConsolePagesError.missing("the console's templates (Resources/console) are not in the bundle")
        }
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: folder.path)
        } catch let error as MustacheLibrary.ParserError {
            throw ConsolePagesError.missing("console template \(error.filename): line \(error.context.lineNumber): \(error.error)")
        }
        var assets: [String: (bytes: ByteBuffer, type: String)] = [:]
        for (name, type) in [("console.css", "text/css; charset=utf-8"), ("console.js", "text/javascript; charset=utf-8")] {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            assets[name] = (ByteBuffer(bytes: data), type)
        }
        return ConsolePages(library: library, assets: assets)
    }

    /// A page: `template` inside the layout, with the person's menu. `view` is the template's own data.
    func page(
        _ template: String, title: String, view: [String: Any], session: ConsoleSession?, status: HTTPResponse.Status = .ok,
        headers extra: HTTPFields = [:]
    ) -> Response {
        let nonce = ConsoleToken.random(bytes: 18)
        var context = view
        context["title"] = title
        context["nonce"] = nonce
        if let session {
            context["user"] = ["name": session.user.name, "email": session.user.email, "role": ConsoleText.roleName(session.user.role)]
            context["csrf"] = session.csrf
            context["nav"] = ConsoleNavigation.items(for: session.user.role)
        }
        let html = library.render(context, withTemplate: template) ?? "<!DOCTYPE html><title>\(title)</title><p>Шаблон \(template) не найден.</p>"
        var headers = Self.securityHeaders(nonce: nonce)
        headers[.contentType] = "text/html; charset=utf-8"
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func asset(_ name: String) -> Response {
        guard let asset = assets[name] else { return Response(status: .notFound) }
        return Response(
            status: .ok, headers: [.contentType: asset.type, .cacheControl: "public, max-age=3600", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: asset.bytes))
    }

    static func securityHeaders(nonce: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'nonce-\(nonce)'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        if let referrer = HTTPField.Name("Referrer-Policy") { headers[referrer] = "same-origin" }
        return headers
    }

    static func redirect(to location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }
}

enum ConsolePagesError: Error, CustomStringConvertible {
    case missing(String)

    var description: String {
        switch self {
        case .missing(let text): text
        }
    }
}

/// The menu each role sees.
enum ConsoleNavigation {
    static func items(for role: Role) -> [[String: String]] {
        switch role {
        case .dealer: [["href": "/cabinet", "label": "Кабинет дилера"]]
        case .manager:
            [
                ["href": "/", "label": "Сводка"], ["href": "/desk", "label": "Мой стол"], ["href": "/dealers", "label": "Дилеры"],
                ["href": "/acts", "label": "Акты сверки"], ["href": "/reports/ageing", "label": "Дебиторская задолженность"],
            ]
        case .admin:
            [
                ["href": "/", "label": "Сводка"], ["href": "/dealers", "label": "Дилеры"], ["href": "/acts", "label": "Акты сверки"],
                ["href": "/reports/ageing", "label": "Дебиторская задолженность"], ["href": "/ledger/import", "label": "Загрузка из 1С"],
                ["href": "/admin/users", "label": "Пользователи"],
                ["href": "/admin/keys", "label": "Ключи"], ["href": "/admin/jobs", "label": "Задания"],
                ["href": "/admin/webhooks", "label": "Вебхуки"],
                ["href": "/admin/notifications", "label": "Оповещения"], ["href": "/admin/config", "label": "Конфигурация"],
            ]
        case .accountant:
            [
                ["href": "/", "label": "Сводка"], ["href": "/dealers", "label": "Дилеры"], ["href": "/acts", "label": "Акты сверки"],
                ["href": "/reports/ageing", "label": "Дебиторская задолженность"], ["href": "/ledger/import", "label": "Загрузка из 1С"],
            ]
        case .viewer, .integration:
            [
                ["href": "/", "label": "Сводка"], ["href": "/dealers", "label": "Дилеры"],
                ["href": "/reports/ageing", "label": "Дебиторская задолженность"],
            ]
        }
    }
}
