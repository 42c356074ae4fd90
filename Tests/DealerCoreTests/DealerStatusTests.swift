import DealerCore
import Foundation
import Testing

@Suite("Dealer lifecycle")
struct DealerStatusTests {
    @Test func followsProspectApplicantAccreditedSuspendedTerminated() {
        #expect(DealerStatus.prospect.allowedNext == [.applicant, .terminated])
        #expect(DealerStatus.applicant.allowedNext == [.accredited, .prospect, .terminated])
        #expect(DealerStatus.accredited.allowedNext == [.suspended, .terminated])
        #expect(DealerStatus.suspended.allowedNext == [.accredited, .terminated])
        #expect(DealerStatus.terminated.allowedNext.isEmpty)
    }

    @Test func refusesASkippedStepAndNamesTheAllowedOnes() {
        #expect(throws: DomainError.invalidTransition(from: "prospect", to: "accredited", allowed: ["applicant", "terminated"])) {
            try StatusChange.validate(from: .prospect, to: .accredited, reason: "fast track")
        }
    }

    /// The profile cannot be skipped: no status change and no new card makes a dealer accredited.
    @Test func accreditedOnlyByADecision() {
        for from in [DealerStatus.applicant, .suspended] {
            #expect(throws: DomainError.accreditationRequired(from: from.rawValue)) {
                try StatusChange.validate(from: from, to: .accredited, reason: "быстро")
            }
        }
        for status in [DealerStatus.accredited, .suspended, .terminated] {
            var draft = DealerDraft(code: "A-1", name: "Альфа", taxID: "7736050003")
            draft.status = status
            #expect(throws: ValidationError.self, "created \(status.rawValue)") { try draft.validated(id: UUID(), now: Date()) }
        }
        #expect(DealerStatus.initialStates == [.prospect, .applicant])
    }

    @Test func terminatedIsFinal() {
        for next in DealerStatus.allCases {
            #expect(throws: DomainError.self) { try StatusChange.validate(from: .terminated, to: next, reason: "back") }
        }
    }

    @Test func aReasonIsRequired() {
        #expect(throws: ValidationError(field: "reason", "a reason is required for a status change")) {
            try StatusChange.validate(from: .prospect, to: .applicant, reason: "   ")
        }
        let change = try? StatusChange.validate(from: .accredited, to: .suspended, reason: " просрочка ")
        #expect(change?.reason == "просрочка")
    }
}
