import DealerCore
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
