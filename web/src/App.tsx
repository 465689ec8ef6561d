import { useEffect, useSyncExternalStore } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { useQueryClient } from '@tanstack/react-query';
import { session } from './api/session';
import { SignIn } from './pages/SignIn';
import { Campaigns } from './pages/Campaigns';
import { CampaignForm } from './pages/CampaignForm';
import { CampaignDetail } from './pages/CampaignDetail';
import { Clicks, ClickDetailPage } from './pages/Clicks';
import { Conversions } from './pages/Conversions';
import { Reports } from './pages/Reports';
import { Fraud } from './pages/Fraud';
import { Settings } from './pages/Settings';
import { Connections } from './pages/Connections';
import { TrafficSources } from './pages/TrafficSources';
import { TrafficSourceDetail } from './pages/TrafficSourceDetail';
import { Offers } from './pages/Offers';
import { Landers } from './pages/Landers';
import { Members } from './pages/Members';
import { AuditLog } from './pages/AuditLog';
import { AcceptInvitation } from './pages/AcceptInvitation';
import { useCan, type Permission } from './api/me';

/** Each page and the permission its link needs (a page anyone may read names `read`). */
const NAV: ReadonlyArray<readonly [string, string, Permission]> = [
  ['/campaigns', 'Campaigns', 'read'],
  ['/offers', 'Offers', 'read'],
  ['/landers', 'Landers', 'read'],
  ['/traffic-sources', 'Traffic sources', 'read'],
  ['/clicks', 'Clicks', 'read'],
  ['/conversions', 'Conversions', 'read'],
  ['/reports', 'Reports', 'read'],
  ['/fraud', 'Fraud', 'read'],
  ['/connections', 'Connections', 'settings:read'],
  ['/members', 'Members', 'members:read'],
  ['/audit-log', 'Audit log', 'members:read'],
  ['/settings', 'Settings', 'self'],
];

/** DB-IP's CC BY 4.0 licence asks for this credit wherever its geolocation is shown. */
function Attribution() {
  return (
    <footer className="attribution">
      IP geolocation by{' '}
      <a href="https://db-ip.com" rel="noreferrer">
        DB-IP
      </a>{' '}
      (CC BY 4.0) · ASN data by{' '}
      <a href="https://www.routeviews.org" rel="noreferrer">
        Route Views
      </a>{' '}
      (CC BY 4.0) · CloakRadar is open source under the MIT license
    </footer>
  );
}

function NavLink({ href, children, permission }: { href: string; children: string; permission: Permission }) {
  const [location] = useLocation();
  const allowed = useCan(permission);
  if (!allowed && permission !== 'read') return null;
  const current = location === href || location.startsWith(`${href}/`);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

export function App() {
  const token = useSyncExternalStore(session.subscribe, session.token);
  const queryClient = useQueryClient();
  // Another account's data must not flash up after signing in as someone else.
  useEffect(() => {
    if (!token) queryClient.clear();
  }, [token, queryClient]);

  if (!token) {
    return (
      <>
        <Switch>
          <Route path="/sign-up">
            <SignIn mode="sign-up" />
          </Route>
          <Route path="/sign-in">
            <SignIn mode="sign-in" />
          </Route>
          <Route path="/accept-invitation">
            <AcceptInvitation />
          </Route>
          <Route>
            <Redirect to="/sign-in" />
          </Route>
        </Switch>
        <Attribution />
      </>
    );
  }
  return (
    <div className="layout">
      <header className="sidebar">
        <Link href="/campaigns" className="brand">
          CloakRadar
        </Link>
        <nav aria-label="Main">
          {NAV.map(([href, label, permission]) => (
            <NavLink key={href} href={href} permission={permission}>
              {label}
            </NavLink>
          ))}
        </nav>
        <button type="button" className="secondary small signout" onClick={() => session.signOut()}>
          Sign out
        </button>
      </header>
      <main>
        <Switch>
          <Route path="/campaigns/new">
            <CampaignForm />
          </Route>
          <Route path="/campaigns/:id/edit">{(params) => <CampaignForm id={Number(params.id)} />}</Route>
          <Route path="/campaigns/:id">{(params) => <CampaignDetail id={Number(params.id)} />}</Route>
          <Route path="/campaigns">
            <Campaigns />
          </Route>
          <Route path="/traffic-sources/:id">{(params) => <TrafficSourceDetail id={Number(params.id)} />}</Route>
          <Route path="/offers">
            <Offers />
          </Route>
          <Route path="/landers">
            <Landers />
          </Route>
          <Route path="/traffic-sources">
            <TrafficSources />
          </Route>
          <Route path="/clicks/:id">{(params) => <ClickDetailPage id={params.id} />}</Route>
          <Route path="/clicks">
            <Clicks />
          </Route>
          <Route path="/conversions">
            <Conversions />
          </Route>
          <Route path="/reports">
            <Reports />
          </Route>
          <Route path="/fraud">
            <Fraud />
          </Route>
          <Route path="/connections">
            <Connections />
          </Route>
          <Route path="/settings">
            <Settings />
          </Route>
          <Route path="/members">
            <Members />
          </Route>
          <Route path="/audit-log">
            <AuditLog />
          </Route>
          <Route>
            <Redirect to="/campaigns" />
          </Route>
        </Switch>
        <Attribution />
      </main>
    </div>
  );
}
