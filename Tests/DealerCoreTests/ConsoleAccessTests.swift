import Foundation
import Testing

@testable import DealerCore

@Suite("Console accounts: passwords, throttling, sessions")
struct ConsoleAccessTests {
    let policy = PasswordPolicy()

    @Test func aPasswordIsLongEnoughUncommonAndNotTheAddress() {
        #expect(policy.refusal(of: "Ветер-над-Волгой-7", email: "irina@example.ru", name: "Ирина") == nil)
        #expect(policy.refusal(of: "корот", email: "a@b.ru", name: "A")?.contains("не короче 10 символов") == true)
        for common in ["1234567890", "qwertyuiop", "Password123", "ЙЦУКЕНГШЩЗ", "0987654321", "aaaaaaaaaaaa", "abababababab"] {
            #expect(policy.refusal(of: common, email: "a@b.ru", name: "A")?.contains("распространён") == true, "\(common)")
        }
        #expect(policy.refusal(of: "irina.petrova-2026", email: "irina.petrova@example.ru", name: "Ирина")?.contains("почты") == true)
        #expect(policy.refusal(of: "Ирина Петрова", email: "x@y.ru", name: "ирина петрова")?.contains("имя") == true)
        // bcrypt reads 72 bytes: 40 Cyrillic letters (80 bytes) would be cut silently, so they are refused.
        #expect(policy.refusal(of: String(repeating: "ёжик", count: 10), email: "a@b.ru", name: "A")?.contains("72 байт") == true)
        #expect(policy.refusal(of: "пароль\u{0}с-нулём-внутри", email: "a@b.ru", name: "A")?.contains("управляющих") == true)
    }

    @Test func failuresAreFreeAtFirstThenEachLockDoublesUpToTheCap() {
        let throttle = SignInThrottle.account
        #expect((1..<throttle.freeFailures).allSatisfy { throttle.lockout(afterFailures: $0) == nil })
        #expect(throttle.lockout(afterFailures: 5) == 60)
        #expect(throttle.lockout(afterFailures: 6) == 120)
        #expect(throttle.lockout(afterFailures: 7) == 240)
        #expect(throttle.lockout(afterFailures: 11) == 3600)
        #expect(throttle.lockout(afterFailures: 1_000_000) == 3600)
        #expect(SignInThrottle.address.lockout(afterFailures: 19) == nil)
    }

    @Test func aSessionEndsWhenIdleOrTooOldWhicheverComesFirst() {
        let sessions = ConsoleSessionPolicy(idle: 1800, absolute: 12 * 3600)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(sessions.isLive(createdAt: start, lastSeenAt: start, at: start.addingTimeInterval(1799)))
        #expect(!sessions.isLive(createdAt: start, lastSeenAt: start, at: start.addingTimeInterval(1800)))
        let busy = start.addingTimeInterval(12 * 3600 - 60)
        #expect(!sessions.isLive(createdAt: start, lastSeenAt: busy, at: start.addingTimeInterval(12 * 3600)))
        #expect(!sessions.shouldTouch(lastSeenAt: start, at: start.addingTimeInterval(30)))
        #expect(sessions.shouldTouch(lastSeenAt: start, at: start.addingTimeInterval(60)))
    }

    @Test func anAccountNamesWhatItsRoleNeedsAndNothingElse() throws {
        let head = try ConsoleUserDraft(email: " Irina@Example.RU ", name: " Ирина ", role: .admin).checked()
        #expect(head.email == "irina@example.ru" && head.name == "Ирина")
        func fields(_ draft: ConsoleUserDraft) -> [String] {
            do {
                _ = try draft.checked()
                return []
            } catch let error as ValidationError {
                return error.issues.map(\.field)
            } catch {
                return ["?"]
            }
        }
        #expect(fields(ConsoleUserDraft(email: "nope", name: "", role: .dealer)) == ["email", "name", "dealer"])
        #expect(fields(ConsoleUserDraft(email: "a@b.ru", name: "A", role: .manager)) == ["manager"])
        #expect(fields(ConsoleUserDraft(email: "a@b.ru", name: "A", role: .integration)) == ["role"])
        #expect(fields(ConsoleUserDraft(email: "a@b.ru", name: "A", role: .viewer, dealer: .code("D-1"))) == ["dealer"])
    }
}
