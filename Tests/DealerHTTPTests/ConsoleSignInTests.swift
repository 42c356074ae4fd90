import DealerCore
import DealerHTTP
import DealerStore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

/// The console's sign-in as a browser does it over HTTP: cookies kept, forms posted. The browser
/// tests (ConsoleBrowserTests) walk the same pages in chromium; these check the defences precisely.
@Suite("Console sign-in and sessions")
struct ConsoleSignInTests {
    static let password = "Ветер-над-Волгой-7"

    /// Accounts made before the server starts: an admin with a fresh welcome link, and a dealer user
    /// of dealer A with a password already set (through its link), acts for A and B.
    static func prepare(_ store: Store) async throws -> [String: String] {
        let accounts = ConsoleStore(store)
        let head = try await accounts.createUser(ConsoleUserDraft(email: "Irina@Example.ru", name: "Ирина Петрова", role: .admin), by: .cli)
        let code = try await accounts.makeLink(userID: head.id, purpose: .welcome, lifetime: 3600, by: .cli)
        return ["welcome": code, "head": head.id.lowercased]
    }

    static func configure(_ config: inout DealerdConfig) {
        // bcrypt's least cost: the defences under test do not depend on it, and the suite stays fast.
        config.console.passwordCost = 4
    }

    @Test(arguments: Backend.available)
    func aPageWithoutASessionSendsToSignIn(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: Self.configure) { api in
            let browser = ConsoleBrowser(api: api)
            let home = try await browser.get("/reports/ageing")
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/sign-in?next=/reports/ageing")
            let signIn = try await browser.get("/sign-in")
            #expect(signIn.status == .ok && signIn.text.contains("Вход в dealerd"))
            #expect(signIn.headers[.contentSecurityPolicy]?.contains("script-src 'nonce-") == true)
            #expect(
                signIn.headers[values: .setCookie].contains {
                    $0.hasPrefix("dealerd_form=") && $0.contains("HttpOnly") && $0.contains("SameSite=Lax")
                })
        }
    }

    @Test(arguments: Backend.available)
    func aWelcomeLinkSetsAPasswordOnceAndRefusesAWeakOneByTheField(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: Self.configure, prepare: Self.prepare) { api in
            let browser = ConsoleBrowser(api: api)
            let code = api.namedKeys["welcome"] ?? ""
            let form = try await browser.get("/welcome/\(code)")
            #expect(form.status == .ok && form.text.contains("Ирина Петрова"), "\(form.text)")
            let token = try #require(browser.cookies["dealerd_form"])

            let weak = try await browser.post("/welcome/\(code)", ["form_token": token, "password": "1234567890", "repeat": "1234567890"])
            #expect(weak.status == .unprocessableContent)
            #expect(weak.text.contains(#"id="password-error""#) && weak.text.contains("слишком распространён"))
            #expect(weak.text.contains(#"aria-invalid="true""#))
            let short = try await browser.post("/welcome/\(code)", ["form_token": token, "password": "корот", "repeat": "корот"])
            #expect(short.text.contains("не короче 10 символов"))
            let mismatch = try await browser.post("/welcome/\(code)", ["form_token": token, "password": Self.password, "repeat": "другой-пароль-1"])
            #expect(mismatch.text.contains(#"id="repeat-error""#))

            let set = try await browser.post("/welcome/\(code)", ["form_token": token, "password": Self.password, "repeat": Self.password])
            #expect(set.status == .seeOther && set.headers[.location] == "/")
            #expect(
                set.headers[values: .setCookie].contains { $0.hasPrefix("dealerd_session=") && $0.contains("HttpOnly") && !$0.contains("Secure") })
            let board = try await browser.get("/")
            #expect(board.status == .ok && board.text.contains("Сводка по дилерской сети"), "\(board.text)")
            #expect(board.text.contains("Ирина Петрова · Администратор"))

            // The link is spent.
            let again = try await ConsoleBrowser(api: api).get("/welcome/\(code)")
            #expect(again.status == .notFound && again.text.contains("Ссылка недействительна"))
        }
    }

    @Test(arguments: Backend.available)
    func signInMakesANewSessionIdAndSignOutEndsIt(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: Self.configure, prepare: Self.prepare) { api in
            try await Self.setPassword(api)
            let browser = ConsoleBrowser(api: api)
            // A session id planted before sign-in (fixation) is never the one signed in.
            browser.cookies["dealerd_session"] = "planted-by-an-attacker-0000000000000000000"
            _ = try await browser.get("/sign-in")
            let signedIn = try await browser.signIn("irina@example.ru", Self.password)
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/")
            let session = try #require(browser.cookies["dealerd_session"])
            #expect(session != "planted-by-an-attacker-0000000000000000000")
            let board = try await browser.get("/")
            #expect(board.status == .ok)
            let csrf = try #require(board.text.firstMatch(of: /name="csrf" value="([^"]+)"/).map { String($0.1) })

            // A cross-site POST is refused, with the token or without it.
            let noToken = try await browser.post("/sign-out", [:])
            #expect(noToken.status == .forbidden && noToken.text.contains("Форма устарела"))
            let crossSite = try await browser.post("/sign-out", ["csrf": csrf], headers: [.origin: "https://evil.example"])
            #expect(crossSite.status == .forbidden)
            #expect(try await browser.get("/").status == .ok, "the refused POSTs left the session alone")

            let out = try await browser.post("/sign-out", ["csrf": csrf])
            #expect(out.status == .seeOther && out.headers[.location] == "/sign-in")
            // The old cookie, replayed, no longer opens anything: the session row is revoked.
            let replay = ConsoleBrowser(api: api)
            replay.cookies["dealerd_session"] = session
            #expect(try await replay.get("/").status == .seeOther)

            // The audit shows the person, not "console".
            let audit = try await api.call(.get, "/v1/audit?entity_type=console_user")
            let actions = (audit.json["items"]?.array ?? []).compactMap { item -> String? in
                if case .string(let action) = item["action"], case .string(let actor) = item["actor"] { return "\(actor) \(action)" }
                return nil
            }
            #expect(actions.contains("irina@example.ru user.sign_out"), "\(actions)")
            #expect(actions.contains("irina@example.ru user.password_set"), "\(actions)")
        }
    }

    @Test(arguments: Backend.available)
    func repeatedFailuresLockTheAccountEvenAgainstTheRightPassword(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: Self.configure, prepare: Self.prepare) { api in
            try await Self.setPassword(api)
            let browser = ConsoleBrowser(api: api)
            _ = try await browser.get("/sign-in")
            for attempt in 1...SignInThrottle.account.freeFailures {
                let wrong = try await browser.signIn("irina@example.ru", "неверный-пароль-\(attempt)")
                #expect(wrong.status == .unauthorized && wrong.text.contains("Неверная почта или пароль"))
            }
            let locked = try await browser.signIn("irina@example.ru", Self.password)
            #expect(locked.status == .tooManyRequests && locked.text.contains("Слишком много неудачных попыток"), "\(locked.text)")
            #expect(browser.cookies["dealerd_session"] == nil)
            // An unknown account answers as a wrong password does: nothing tells which accounts exist.
            let unknown = try await browser.signIn("nobody@example.ru", Self.password)
            #expect(unknown.status == .unauthorized && unknown.text.contains("Неверная почта или пароль"))
        }
    }

    @Test(arguments: Backend.available)
    func aSessionEndsAfterItsIdleAndItsAbsoluteLifetime(_ backend: Backend) async throws {
        let clock = TestClock(Date())
        try await APIHarness.run(backend, configure: Self.configure, clock: clock, prepare: Self.prepare) { api in
            try await Self.setPassword(api)
            let browser = ConsoleBrowser(api: api)
            _ = try await browser.get("/sign-in")
            _ = try await browser.signIn("irina@example.ru", Self.password)
            // Busy all day: a request every 20 minutes keeps the session past the idle limit…
            for _ in 0..<35 {
                clock.advance(by: 20 * 60)
                #expect(try await browser.get("/").status == .ok)
            }
            // …until 12 hours after sign-in, when it ends however busy.
            clock.advance(by: 20 * 60)
            #expect(try await browser.get("/").status == .seeOther)
            _ = try await browser.get("/sign-in")
            _ = try await browser.signIn("irina@example.ru", Self.password)
            #expect(try await browser.get("/").status == .ok)
            // Away for 31 minutes: signed out.
            clock.advance(by: 31 * 60)
            let away = try await browser.get("/dealers")
            #expect(away.status == .seeOther && away.headers[.location] == "/sign-in?next=/dealers")
        }
    }

    /// The admin of `prepare`, its password set through its link, signed in in a browser of its own.
    static func signedInAdmin(_ api: APIHarness) async throws -> ConsoleBrowser {
        try await setPassword(api)
        let browser = ConsoleBrowser(api: api)
        _ = try await browser.get("/sign-in")
        let signedIn = try await browser.signIn("irina@example.ru", password)
        #expect(signedIn.status == .seeOther, "\(signedIn.text)")
        return browser
    }

    /// The admin sets the password through the welcome link, in a browser of its own.
    static func setPassword(_ api: APIHarness) async throws {
        let browser = ConsoleBrowser(api: api)
        let code = api.namedKeys["welcome"] ?? ""
        _ = try await browser.get("/welcome/\(code)")
        let set = try await browser.post(
            "/welcome/\(code)", ["form_token": browser.cookies["dealerd_form"] ?? "", "password": password, "repeat": password])
        #expect(set.status == .seeOther, "\(set.text)")
    }
}

/// A browser's part in the console's HTTP: a cookie jar, GETs and form POSTs (no redirects followed).
final class ConsoleBrowser: @unchecked Sendable {
    let api: APIHarness
    var cookies: [String: String] = [:]

    init(api: APIHarness) {
        self.api = api
    }

    func get(_ path: String) async throws -> APIHarness.Reply {
        try await send(.get, path, body: nil, headers: [:])
    }

    func post(_ path: String, _ fields: [String: String], headers: HTTPFields = [:]) async throws -> APIHarness.Reply {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(.post, path, body: body, headers: headers)
    }

    /// A form with a file, as a browser encodes `enctype="multipart/form-data"`.
    func postFile(
        _ path: String, fields: [String: String], file: (name: String, filename: String, content: String)
    ) async throws
        -> APIHarness.Reply
    {
        let boundary = "----dealerd-test-\(UUID().uuidString)"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(file.content)\r\n--\(boundary)--\r\n"
        return try await send(.post, path, body: body, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"])
    }

    func signIn(_ email: String, _ password: String) async throws -> APIHarness.Reply {
        try await post("/sign-in", ["form_token": cookies["dealerd_form"] ?? "", "email": email, "password": password, "next": "/"])
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, body: String?, headers: HTTPFields) async throws -> APIHarness.Reply {
        var headers = headers
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let reply = try await api.call(method, path, as: nil, headers: headers, body: body)
        for cookie in reply.headers[values: .setCookie] {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            if cookie.contains("Max-Age=0") { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = String(pair[1]) }
        }
        return reply
    }
}
