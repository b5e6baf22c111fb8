import ClassroomCore

extension CoverageLabels {
    /// The basis of the recording-room figures in one line: `录播教室 5 间：已核验 3 间（抽查直播 1、自检推流 2），
    /// 有设备未推流 1 间，设备未核验 1 间`.
    public func recordingBasis(_ b: RecordingBasisTally) -> String {
        t(
            "录播教室 \(b.rooms) 间：已核验 \(b.verified) 间（抽查直播 \(b.spotCheck)、自检推流 \(b.selfTest)），"
                + "有摄像头和麦克风但窗口内无成功推流 \(b.noStream) 间，设备未核验 \(b.noEquipment) 间",
            "Recording rooms: \(b.rooms); verified \(b.verified) (by spot-check stream \(b.spotCheck), by self-test \(b.selfTest)); "
                + "camera and microphone but no successful stream in the window \(b.noStream); equipment not verified \(b.noEquipment)"
        )
    }

    /// The heading of the basis line.
    public var recordingBasisTitle: String { t("录播教室核验依据", "Basis of the recording-room figures") }
}
