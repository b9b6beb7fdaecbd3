// The Slack message checks live in @firstseen/test-support; this re-export keeps notify's test imports short.
export { allWellFormed, slackProblems, slackTexts } from '@firstseen/test-support';
